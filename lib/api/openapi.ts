import { z } from "zod";
import { verifyPaths, verifySchemas, verifySecuritySchemes } from "./openapi-verify";
import { apiKeyCreateSchema, apiKeyRotateSchema, apiKeyUpdateSchema, EXPIRY_STATES, KEY_STATUSES, PAGE_SIZES, SORT_FIELDS } from "@/lib/api-keys/schemas";

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of a request body, straight from the zod schema. */
function bodySchema(schema: z.ZodType) {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
}

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

const apiKeySchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    description: { type: ["string", "null"] },
    prefix: { type: "string", description: "Display prefix; never enough to authenticate" },
    status: { enum: ["active", "revoked", "expired"] },
    expirationState: { enum: ["never", "valid", "expiring_soon", "expired"] },
    authorizationGroup: {
      type: "object",
      properties: { id: { type: "string" }, name: { type: "string" }, scopes: { type: "array", items: { type: "string" } } },
    },
    ipAllowlist: { type: "array", items: { type: "string" } },
    expiresAt: { type: ["string", "null"], format: "date-time" },
    lastUsedAt: { type: ["string", "null"], format: "date-time" },
    createdAt: { type: "string", format: "date-time" },
    rotatedAt: { type: ["string", "null"], format: "date-time" },
    revokedAt: { type: ["string", "null"], format: "date-time" },
    previousSecretValidUntil: { type: ["string", "null"], format: "date-time" },
  },
};

const withSecret = { allOf: [{ $ref: "#/components/schemas/ApiKey" }, { type: "object", properties: { secret: { type: "string", description: "Shown once" } } }] };

function errors(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: "Malformed JSON",
    401: "Missing, malformed, unknown, revoked or expired key",
    403: "Key lacks the scope, or the client IP is not on the key's allowlist",
    404: "No such key in the caller's tenant",
    409: "Tenant key limit reached, or the key is not active",
    413: "Body larger than 32 KiB",
    415: "Body is not JSON",
    422: "Validation failed (see fieldErrors)",
    429: "Too many failed attempts from this address (see Retry-After)",
    503: "Verification temporarily unavailable",
  };
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { description: descriptions[status], content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
    ]),
  );
}

const json = (schema: object) => ({ content: { "application/json": { schema } } });
const common = [401, 403, 429, 503];
const keyIdParam = { name: "key_id", in: "path", required: true, schema: { type: "string" } };

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Keyward API",
      version: "1.0.0",
      description: "Manage a tenant's API keys with an API key. Send the key in the X-API-Key header.",
    },
    servers: [{ url: serverUrl }],
    security: [{ ApiKey: [] }],
    components: {
      securitySchemes: { ApiKey: { type: "apiKey", in: "header", name: "X-API-Key" }, ...verifySecuritySchemes },
      schemas: {
        Error: errorSchema,
        ApiKey: apiKeySchema,
        ApiKeyCreate: bodySchema(apiKeyCreateSchema),
        ApiKeyUpdate: bodySchema(apiKeyUpdateSchema.partial()),
        ApiKeyRotate: bodySchema(apiKeyRotateSchema),
        ...verifySchemas,
      },
    },
    paths: {
      ...verifyPaths,
      "/v1/health": {
        get: { summary: "Liveness; no key needed", security: [], responses: { "200": json({ type: "object", properties: { status: { const: "ok" } } }) } },
      },
      "/v1/openapi.json": {
        get: { summary: "This document; no key needed", security: [], responses: { "200": { description: "OpenAPI 3.1" } } },
      },
      "/v1/whoami": {
        get: {
          summary: "The calling key, its tenant and scopes",
          responses: { "200": { description: "The calling key" }, ...errors(...common) },
        },
      },
      "/v1/api-keys": {
        get: {
          summary: "List the tenant's keys (scope api_keys:read)",
          parameters: [
            { name: "status", in: "query", schema: { type: "string" }, description: `Comma list of ${KEY_STATUSES.join(", ")}` },
            { name: "expiry", in: "query", schema: { type: "string" }, description: `Comma list of ${EXPIRY_STATES.join(", ")}` },
            { name: "q", in: "query", schema: { type: "string" }, description: "Name contains" },
            { name: "sort", in: "query", schema: { enum: [...SORT_FIELDS] } },
            { name: "order", in: "query", schema: { enum: ["asc", "desc"] } },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1 } },
            { name: "pageSize", in: "query", schema: { enum: [...PAGE_SIZES] } },
          ],
          responses: {
            "200": json({
              type: "object",
              properties: {
                data: { type: "array", items: { $ref: "#/components/schemas/ApiKey" } },
                pagination: { type: "object", properties: { page: { type: "integer" }, pageSize: { type: "integer" }, total: { type: "integer" } } },
              },
            }),
            ...errors(...common),
          },
        },
        post: {
          summary: "Create a key (scope api_keys:write); the secret is returned once",
          requestBody: { required: true, ...json({ $ref: "#/components/schemas/ApiKeyCreate" }) },
          responses: { "201": json(withSecret), ...errors(400, ...common, 409, 413, 415, 422) },
        },
      },
      "/v1/api-keys/{key_id}": {
        parameters: [keyIdParam],
        get: { summary: "One key", responses: { "200": json({ $ref: "#/components/schemas/ApiKey" }), ...errors(...common, 404) } },
        patch: {
          summary: "Update metadata: name, description, groupId, ipAllowlist (scope api_keys:write)",
          requestBody: { required: true, ...json({ $ref: "#/components/schemas/ApiKeyUpdate" }) },
          responses: { "200": json({ $ref: "#/components/schemas/ApiKey" }), ...errors(400, ...common, 404, 409, 413, 415, 422) },
        },
        delete: {
          summary: "Revoke the key, permanently (scope api_keys:write)",
          responses: { "200": json({ $ref: "#/components/schemas/ApiKey" }), ...errors(...common, 404, 409) },
        },
      },
      "/v1/api-keys/{key_id}/rotate": {
        parameters: [keyIdParam],
        post: {
          summary: "Issue a new secret with the same configuration (scope api_keys:write)",
          requestBody: { required: false, ...json({ $ref: "#/components/schemas/ApiKeyRotate" }) },
          responses: { "200": json(withSecret), ...errors(400, ...common, 404, 409, 415, 422) },
        },
      },
    },
  };
}
