import { z } from "zod";
import { verifyPaths, verifySchemas, verifySecuritySchemes } from "./openapi-verify";
import {
  apiKeyCreateSchema,
  apiKeyRotateSchema,
  apiKeyUpdateSchema,
  EXPIRY_STATES,
  KEY_FLAGS,
  KEY_STATUSES,
  PAGE_SIZES,
  SORT_FIELDS,
} from "@/lib/api-keys/schemas";
import { v1Operation, type V1OperationId } from "./v1-operations";
import { connectionPaths, connectionSchemas } from "./openapi-connections";
import { tokenPaths, tokenSchemas, tokenSecuritySchemes } from "./openapi-tokens";
import { keyStatePaths } from "./openapi-key-state";

type Json = Record<string, unknown>;

/**
 * JSON Schema (2020-12, as OpenAPI 3.1 uses) of a request body, from the zod schema the forms
 * and routes share, adjusted to what the API takes over the wire:
 * - no `default`: zod's defaults apply on the server, and a `default` makes generators such
 *   as openapi-typescript mark the field required (an omitted PATCH field keeps its value).
 * Everything else (ipAllowlist as lines or an array, limits, descriptions) is the zod schema's.
 */
function bodySchema(schema: z.ZodType, description: string, options: { partial?: boolean } = {}): Json {
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

const nullable = (type: string, extra: Json = {}) => ({ type: [type, "null"], ...extra });
const dateTime = (extra: Json = {}) => nullable("string", { format: "date-time", ...extra });

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "requestId"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        requestId: { type: "string" },
        fieldErrors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
      },
    },
  },
};

const windowsSchema = {
  type: ["array", "null"],
  items: { type: "object", required: ["limit", "windowSeconds"], properties: { limit: { type: "integer" }, windowSeconds: { type: "integer" } } },
};

const apiKeyProperties = {
  id: { type: "string" },
  name: { type: "string" },
  description: nullable("string"),
  prefix: { type: "string", description: "Display prefix; never enough to authenticate" },
  status: { enum: ["active", "disabled", "revoked", "expired"], description: "disabled: refused (401) until re-enabled; it keeps its place of the key limit" },
  expirationState: { enum: ["never", "valid", "expiring_soon", "expired"] },
  authorizationGroup: {
    type: "object",
    required: ["id", "name", "scopes"],
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      scopes: { type: "array", items: { type: "string" } },
      rateLimits: { ...windowsSchema, description: "The group's rate limit windows (null: none)" },
    },
  },
  ipAllowlist: { type: "array", items: { type: "string" } },
  rateLimits: { ...windowsSchema, description: "The key's own rate limit windows, sliding-window semantics (null: the group's apply)" },
  credits: nullable("integer", { description: "Remaining uses (null: unlimited); lags verifications by at most one usage flush" }),
  creditsRefill: {
    type: ["object", "null"],
    required: ["amount", "interval", "dayOfMonth"],
    properties: { amount: { type: "integer" }, interval: { enum: ["daily", "monthly"] }, dayOfMonth: nullable("integer") },
  },
  expiresAt: dateTime(),
  lastUsedAt: dateTime(),
  createdAt: { type: "string", format: "date-time" },
  rotatedAt: dateTime(),
  revokedAt: dateTime(),
  previousSecretValidUntil: dateTime({ description: "End of a rotation's overlap window: until then the previous secret works too" }),
  previousSecretPrefix: nullable("string", { description: "Display prefix of the previous secret during a rotation overlap" }),
  previousSecretLastUsedAt: dateTime({ description: "Last request made with the previous secret during the overlap (batched like lastUsedAt)" }),
  disabledAt: dateTime({ description: "When the key was disabled (null unless disabled)" }),
  serviceAccount: {
    type: ["object", "null"],
    description: "The service account that owns the key (null: none); set with serviceAccountId",
    required: ["id", "name"],
    properties: { id: { type: "string" }, name: { type: "string" } },
  },
  environment: {
    type: ["object", "null"],
    description: "Where the key runs (every key has one); set with environmentId",
    required: ["id", "name"],
    properties: { id: { type: "string" }, name: { type: "string" } },
  },
};
const apiKeySchema = { type: "object", required: Object.keys(apiKeyProperties), properties: apiKeyProperties };

const withSecret = {
  allOf: [
    { $ref: "#/components/schemas/ApiKey" },
    { type: "object", required: ["secret"], properties: { secret: { type: "string", description: "Shown once, never again" } } },
  ],
};

const whoamiSchema = {
  type: "object",
  required: ["id", "name", "prefix", "tenant", "authorizationGroup", "scopes", "expiresAt"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    prefix: { type: "string" },
    tenant: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" } } },
    authorizationGroup: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" } } },
    scopes: { type: "array", items: { type: "string" } },
    expiresAt: dateTime(),
  },
};

const header = (description: string, schema: Json = { type: "string" }, required = true) => ({ description, required, schema });
const HEADERS = {
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

function errors(...statuses: number[]) {
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

function ok(description: string, schema: Json, headers: (keyof typeof HEADERS)[] = []) {
  return {
    description,
    headers: Object.fromEntries([["X-Request-Id", ref("RequestId")], ...headers.map((name) => [headerName(name), ref(name)])]),
    content: { "application/json": { schema } },
  };
}

const keyed = [400, 401, 403, 405, 429, 500, 503];
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

const auditCheckpointsSchema = {
  type: "object",
  required: ["tenant", "publicKey", "checkpoints"],
  properties: {
    tenant: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" } } },
    publicKey: {
      type: "object",
      required: ["keyId", "algorithm", "pem", "verify"],
      properties: { keyId: { type: "string" }, algorithm: { const: "Ed25519" }, pem: { type: "string" }, verify: { type: "string" } },
    },
    checkpoints: {
      type: "array",
      items: {
        type: "object",
        required: ["tenantId", "seq", "hash", "createdAt", "reason", "keyId", "payload", "signature"],
        properties: {
          tenantId: { type: "string" },
          seq: { type: "integer" },
          hash: { type: "string" },
          createdAt: { type: "string", format: "date-time" },
          reason: { type: "string" },
          keyId: { type: "string" },
          payload: { type: "string", description: "The exact text that was signed" },
          signature: { type: "string", description: "Ed25519 signature of payload, base64url" },
        },
      },
    },
  },
};

/**
 * An operation's id, summary and security from the /v1 table (lib/api/v1-operations.ts): the
 * scope its key needs is the table's, written here as OpenAPI 3.1's role list of the ApiKey scheme.
 */
function keyOperation(id: V1OperationId, summary: string) {
  const { scope } = v1Operation(id);
  const scopes = scope ? [scope] : [];
  // A signed token (Authorization: Bearer) is accepted wherever a key is, with the same scopes.
  return { operationId: id, summary: scope ? `${summary} (scope ${scope})` : summary, security: [{ ApiKey: scopes }, { Bearer: scopes }] };
}

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
        Error: errorSchema,
        ApiKey: apiKeySchema,
        ApiKeyWithSecret: withSecret,
        WhoAmI: whoamiSchema,
        AuditCheckpoints: auditCheckpointsSchema,
        ApiKeyCreate: bodySchema(apiKeyCreateSchema, "A new key. expiresIn (a preset) wins over expiresAt; neither means it never expires."),
        ApiKeyUpdate: bodySchema(
          apiKeyUpdateSchema.partial(),
          "Only the fields given change; an omitted field keeps its value. The expiry is not editable: expiresIn and expiresAt are refused with 422.",
          { partial: true },
        ),
        ApiKeyRotate: bodySchema(apiKeyRotateSchema, "How long the previous secret keeps working."),
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
