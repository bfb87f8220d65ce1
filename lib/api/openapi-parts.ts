// The building blocks of the OpenAPI document (lib/api/openapi.ts) that every group of paths
// uses: request bodies from the zod schemas, the shared response headers, error responses by
// status, and an operation's id, summary and security from the /v1 table.
import { z } from "zod";
import { v1Operation, type V1OperationId } from "./v1-operations";

export type Json = Record<string, unknown>;

/**
 * JSON Schema (2020-12, as OpenAPI 3.1 uses) of a request body, from the zod schema the forms
 * and routes share, adjusted to what the API takes over the wire:
 * - no `default`: zod's defaults apply on the server, and a `default` makes generators such
 *   as openapi-typescript mark the field required (an omitted PATCH field keeps its value).
 * Everything else (ipAllowlist as lines or an array, limits, descriptions) is the zod schema's.
 */
export function bodySchema(schema: z.ZodType, description: string, options: { partial?: boolean } = {}): Json {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json & { properties?: Record<string, Json> };
  delete json.$schema;
  for (const property of Object.values(json.properties ?? {})) {
    if ("default" in property) {
      if (!options.partial) property.description = `Optional; when omitted: ${JSON.stringify(property.default)}.`;
      delete property.default;
    }
  }
  return { ...json, description };
}

export const nullable = (type: string, extra: Json = {}) => ({ type: [type, "null"], ...extra });
export const dateTime = (extra: Json = {}) => nullable("string", { format: "date-time", ...extra });

const header = (description: string, schema: Json = { type: "string" }, required = true) => ({ description, required, schema });
export const HEADERS = {
  RequestId: header("The request's id, also in error bodies and the server's logs"),
  RetryAfter: header("Seconds to wait before trying again", { type: "integer", minimum: 1 }),
  WwwAuthenticate: header("How to authenticate: an API key in the X-API-Key header, or a signed token as Authorization: Bearer"),
  ETag: header("The key's version: send it in If-Match to change only this version"),
  Allow: header("The methods this endpoint supports"),
  Location: header("The new key's URL"),
};
const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

const ERRORS: Record<number, { description: string; headers?: (keyof typeof HEADERS)[] }> = {
  400: { description: "Malformed JSON, or a path that is not valid percent-encoding" },
  401: { description: "Missing, malformed, unknown, revoked or expired key or token", headers: ["WwwAuthenticate"] },
  403: { description: "Key lacks the scope, or the client IP is not on the key's allowlist" },
  404: { description: "No such key in the caller's tenant" },
  405: { description: "Method not supported by this endpoint", headers: ["Allow"] },
  409: { description: "Tenant key limit reached, or the key is not active" },
  412: { description: "If-Match does not name the key's current version: nothing was changed" },
  413: { description: "Body larger than 32 KiB" },
  415: { description: "Body is not JSON" },
  422: { description: "Validation failed (see fieldErrors)" },
  429: {
    description: "Too many failed attempts from this address, or the key's rate limit (rate_limited: RateLimit, RateLimit-Policy) or credits (usage_exceeded)",
    headers: ["RetryAfter"],
  },
  500: { description: "Unexpected error (logged with the request id); for a write, check the key before retrying" },
  503: { description: "The database is unavailable; for a write, check the key before retrying", headers: ["RetryAfter"] },
};

export function errors(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => {
      const { description, headers = [] } = ERRORS[status];
      return [
        String(status),
        {
          description,
          headers: Object.fromEntries([["X-Request-Id", ref("RequestId")], ...headers.map((name) => [headerName(name), ref(name)])]),
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      ];
    }),
  );
}

function headerName(name: keyof typeof HEADERS): string {
  return { RequestId: "X-Request-Id", RetryAfter: "Retry-After", WwwAuthenticate: "WWW-Authenticate", ETag: "ETag", Allow: "Allow", Location: "Location" }[name];
}

export function ok(description: string, schema: Json, headers: (keyof typeof HEADERS)[] = []) {
  return {
    description,
    headers: Object.fromEntries([["X-Request-Id", ref("RequestId")], ...headers.map((name) => [headerName(name), ref(name)])]),
    content: { "application/json": { schema } },
  };
}

/** The errors every key-authenticated operation can answer. */
export const keyed = [400, 401, 403, 405, 429, 500, 503];

/**
 * An operation's id, summary and security from the /v1 table (lib/api/v1-operations.ts): the
 * scope its key needs is the table's, written here as OpenAPI 3.1's role list of the ApiKey scheme.
 */
export function keyOperation(id: V1OperationId, summary: string) {
  const { scope } = v1Operation(id);
  const scopes = scope ? [scope] : [];
  // A signed token (Authorization: Bearer) is accepted wherever a key is, with the same scopes.
  return { operationId: id, summary: scope ? `${summary} (scope ${scope})` : summary, security: [{ ApiKey: scopes }, { Bearer: scopes }] };
}
