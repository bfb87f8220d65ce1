import { v1Operation } from "./v1-operations";

type Json = Record<string, unknown>;
type Helpers = { ok: (description: string, schema: Json) => Json; errors: (...statuses: number[]) => Json };

/** OpenAPI for GET /v1/connections/{connection_id}/credential (lib/connections/, root keys). */
export const connectionSchemas = {
  ConnectionCredential: {
    type: "object",
    required: ["connectionId", "name", "kind", "settings", "activeSlot", "credentials"],
    properties: {
      connectionId: { type: "string" },
      name: { type: "string" },
      kind: { type: "string", enum: ["postgresql", "http", "secret"] },
      settings: { type: "object", description: "The kind's non-secret settings (host, port, database; baseUrl, headerName, testPath)" },
      activeSlot: { type: "string", enum: ["primary", "secondary"] },
      credentials: {
        type: "array",
        description: "The active credential first; during a switch (both slots set) the other follows, so a consumer can fail over",
        items: {
          type: "object",
          required: ["slot", "active", "username", "secret", "setAt"],
          properties: {
            slot: { type: "string", enum: ["primary", "secondary"] },
            active: { type: "boolean" },
            username: { type: ["string", "null"], description: "PostgreSQL: the user; null for other kinds" },
            secret: { type: "string" },
            setAt: { type: ["string", "null"], format: "date-time" },
          },
        },
      },
    },
  },
};

export function connectionPaths({ ok, errors }: Helpers) {
  const op = v1Operation("readConnectionCredential");
  return {
    [op.path]: {
      parameters: [{ name: "connection_id", in: "path", required: true, description: "The connection's id", schema: { type: "string" } }],
      get: {
        operationId: op.id,
        summary: "A connection's credential for the platform's services (root key)",
        description:
          "Every read is audited in the connection's tenant (connection.credential_read, with the root key). Answers " +
          "Cache-Control: no-store. A connection of a tenant the root key may not read is 404, as an unknown id is.",
        security: [{ RootKey: [] }, { RootKeyHeader: [] }],
        responses: {
          "200": ok("The active credential (and during a switch the other)", { $ref: "#/components/schemas/ConnectionCredential" }),
          ...errors(401, 404, 405, 429, 500, 503),
        },
      },
    },
  };
}
