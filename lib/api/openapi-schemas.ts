// The components.schemas of the key API in the OpenAPI document (lib/api/openapi.ts): the error
// envelope, a key as the API returns it, whoami, the audit checkpoints, and the request bodies
// of create, update and rotate from the zod schemas the forms and routes share.
import { apiKeyCreateSchema, apiKeyRotateSchema, apiKeyUpdateSchema } from "@/lib/api-keys/schemas";
import { bodySchema, dateTime, nullable } from "./openapi-parts";

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

/** In the document's order; the request bodies are made anew for each document. */
export function keySchemas() {
  return {
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
  };
}
