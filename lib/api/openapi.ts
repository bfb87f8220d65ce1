// The OpenAPI 3.1 document /v1/openapi.json serves. Its building blocks are in openapi-parts.ts,
// the key API's schemas in openapi-schemas.ts, and each other group of paths in its own file.
import { EXPIRY_STATES, KEY_FLAGS, KEY_STATUSES, LIST_GROUPS, PAGE_SIZES, SORT_FIELDS } from "@/lib/api-keys/schemas";
import { verifyPaths, verifySchemas, verifySecuritySchemes } from "./openapi-verify";
import { connectionPaths, connectionSchemas } from "./openapi-connections";
import { tokenPaths, tokenSchemas, tokenSecuritySchemes } from "./openapi-tokens";
import { keyStatePaths } from "./openapi-key-state";
import { errors, HEADERS, keyed, keyOperation, ok } from "./openapi-parts";
import { keySchemas } from "./openapi-schemas";

const keyIdParam = { name: "key_id", in: "path", required: true, description: "The key's id", schema: { type: "string" } };
const ifMatch = {
  name: "If-Match",
  in: "header",
  required: false,
  description:
    'The ETag of the version you read (e.g. "v3"): the change applies only to that version, else 412. Without it the change applies to whatever version is current; of two concurrent rotations the later then wins and the earlier caller\'s new secret stops working at once.',
  schema: { type: "string" },
};
const csv = (name: string, values: readonly string[]) => ({
  name,
  in: "query",
  schema: { type: "string" },
  description: `Comma list of ${values.join(", ")}`,
});
const keyRef = { $ref: "#/components/schemas/ApiKey" };

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Keyward API",
      version: "1.0.0",
      description: "Manage a tenant's API keys with an API key. Send the key in the X-API-Key header.",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: serverUrl }],
    security: [{ ApiKey: [] }],
    components: {
      securitySchemes: { ApiKey: { type: "apiKey", in: "header", name: "X-API-Key" }, ...tokenSecuritySchemes, ...verifySecuritySchemes },
      headers: HEADERS,
      schemas: {
        ...keySchemas(),
        ...verifySchemas,
        ...tokenSchemas,
        ...connectionSchemas,
      },
    },
    paths: {
      ...verifyPaths,
      ...tokenPaths({ keyOperation, ok, errors, keyed }),
      ...keyStatePaths({ keyOperation, ok, errors, keyed, keyIdParam, ifMatch, keyRef }),
      ...connectionPaths({ ok, errors }),
      "/v1/health": {
        get: {
          operationId: "health",
          summary: "Liveness; no key needed",
          security: [],
          responses: {
            "200": ok("Alive", { type: "object", required: ["status"], properties: { status: { const: "ok" } } }),
            ...errors(405),
          },
        },
      },
      "/v1/openapi.json": {
        get: {
          operationId: "openApiDocument",
          summary: "This document; no key needed",
          security: [],
          responses: { "200": ok("OpenAPI 3.1", {
              type: "object",
              required: ["openapi", "info", "paths"],
              properties: { openapi: { type: "string" }, info: { type: "object" }, paths: { type: "object" } },
            }), ...errors(405) },
        },
      },
      "/v1/whoami": {
        get: {
          ...keyOperation("whoami", "The calling key, its tenant and scopes; any valid key"),
          responses: { "200": ok("The calling key", { $ref: "#/components/schemas/WhoAmI" }), ...errors(...keyed) },
        },
      },
      "/v1/audit/checkpoints": {
        get: {
          ...keyOperation("listAuditCheckpoints", "The tenant's signed audit checkpoints and the Ed25519 public key that verifies them"),
          parameters: [{ name: "since", in: "query", schema: { type: "integer", minimum: 0 }, description: "Only checkpoints after this event seq" }],
          responses: { "200": ok("The checkpoints, oldest first", { $ref: "#/components/schemas/AuditCheckpoints" }), ...errors(...keyed, 422) },
        },
      },
      "/v1/api-keys": {
        get: {
          ...keyOperation("listApiKeys", "List the tenant's keys"),
          parameters: [
            csv("status", KEY_STATUSES),
            csv("expiry", EXPIRY_STATES),
            { name: "q", in: "query", schema: { type: "string" }, description: "Name contains" },
            { name: "flag", in: "query", schema: { enum: [...KEY_FLAGS] }, description: "Keys unused for 30 days, or due for rotation" },
            { name: "serviceAccount", in: "query", schema: { type: "string" }, description: "Keys of this service account id (none: keys without one)" },
            { name: "environment", in: "query", schema: { type: "string" }, description: "Keys of this environment id (none: keys without one)" },
            {
              name: "groupBy",
              in: "query",
              schema: { enum: [...LIST_GROUPS] },
              description: "Keys of one environment or service account together: groups by name, keys without one last, then sort within each",
            },
            { name: "sort", in: "query", schema: { enum: [...SORT_FIELDS] } },
            { name: "order", in: "query", schema: { enum: ["asc", "desc"] } },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1 } },
            { name: "pageSize", in: "query", schema: { enum: [...PAGE_SIZES] } },
          ],
          responses: {
            "200": ok("One page of keys", {
              type: "object",
              required: ["data", "pagination"],
              properties: {
                data: { type: "array", items: keyRef },
                pagination: {
                  type: "object",
                  required: ["page", "pageSize", "total"],
                  properties: { page: { type: "integer" }, pageSize: { type: "integer" }, total: { type: "integer" } },
                },
              },
            }),
            ...errors(...keyed),
          },
        },
        post: {
          ...keyOperation("createApiKey", "Create a key; the secret is returned once"),
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ApiKeyCreate" } } } },
          responses: {
            "201": ok("The new key with its secret", { $ref: "#/components/schemas/ApiKeyWithSecret" }, ["ETag", "Location"]),
            ...errors(...keyed, 409, 413, 415, 422),
          },
        },
      },
      "/v1/api-keys/{key_id}": {
        parameters: [keyIdParam],
        get: {
          ...keyOperation("getApiKey", "One key"),
          responses: { "200": ok("The key", keyRef, ["ETag"]), ...errors(...keyed, 404) },
        },
        patch: {
          ...keyOperation("updateApiKey", "Update metadata: name, description, groupId, ipAllowlist"),
          parameters: [ifMatch],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ApiKeyUpdate" } } } },
          responses: { "200": ok("The updated key", keyRef, ["ETag"]), ...errors(...keyed, 404, 409, 412, 413, 415, 422) },
        },
        delete: {
          ...keyOperation("revokeApiKey", "Revoke the key, permanently"),
          responses: { "200": ok("The revoked key", keyRef, ["ETag"]), ...errors(...keyed, 404, 409) },
        },
      },
      "/v1/api-keys/{key_id}/rotate": {
        parameters: [keyIdParam],
        post: {
          ...keyOperation("rotateApiKey", "Issue a new secret with the same configuration"),
          parameters: [ifMatch],
          requestBody: { required: false, content: { "application/json": { schema: { $ref: "#/components/schemas/ApiKeyRotate" } } } },
          responses: {
            "200": ok("The key with its new secret", { $ref: "#/components/schemas/ApiKeyWithSecret" }, ["ETag"]),
            ...errors(...keyed, 404, 409, 412, 413, 415, 422),
          },
        },
      },
    },
  };
}
