import { z } from "zod";
import { VERIFY_CODES, verifyRequestSchema } from "@/lib/verify/schemas";

/** OpenAPI for the hot path: POST /v1/keys/verify and /v1/authorize (server/hot-path.ts). */
const errorRef = { content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
const rootKey = [{ RootKey: [] }, { RootKeyHeader: [] }];

export const verifySecuritySchemes = {
  RootKey: { type: "http", scheme: "bearer", description: "A root key (kwr_...), created by a super user at /admin/root-keys." },
  RootKeyHeader: { type: "apiKey", in: "header", name: "X-Keyward-Root-Key", description: "The same root key, for gateways." },
};

export const verifySchemas = {
  VerifyRequest: z.toJSONSchema(verifyRequestSchema, { io: "input", unrepresentable: "any" }),
  VerifyResult: {
    type: "object",
    required: ["valid", "code", "keyId", "tenantId", "name", "group", "scopes", "expiresAt", "requestId"],
    properties: {
      valid: { type: "boolean" },
      code: { type: "string", enum: [...VERIFY_CODES] },
      keyId: { type: ["string", "null"] },
      tenantId: { type: ["string", "null"] },
      name: { type: ["string", "null"] },
      group: { oneOf: [{ type: "null" }, { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } }] },
      scopes: { type: "array", items: { type: "string" } },
      expiresAt: { type: ["string", "null"], format: "date-time" },
      reset: { type: ["string", "null"], format: "date-time", description: "RATE_LIMITED / USAGE_EXCEEDED: when to try again (null: no refill)" },
      rateLimit: {
        type: "object",
        description: "RATE_LIMITED: the window that refused",
        properties: { limit: { type: "integer" }, windowSeconds: { type: "integer" }, remaining: { type: "integer" } },
      },
      credits: { type: "object", description: "Keys with credits: what is left after this verification", properties: { remaining: { type: "integer" } } },
      claims: {
        type: "object",
        description: "A valid signed token (in `key`): its verified claims (keyId is the jti)",
        properties: {
          sub: { type: "string" },
          workspace: { type: "string" },
          scopes: { type: "array", items: { type: "string" } },
          name: { type: "string" },
          jti: { type: "string" },
          iat: { type: "integer" },
          exp: { type: "integer" },
          iss: { type: "string" },
          aud: { type: "string" },
        },
      },
      requestId: { type: "string" },
    },
  },
};

/** IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), sent with a key's rate limit refusal. */
export const rateLimitHeaders = {
  "Retry-After": { schema: { type: "integer", minimum: 1 }, description: "Seconds to wait" },
  RateLimit: { schema: { type: "string" }, description: 'The exhausted window: "3600s";r=0;t=<seconds to reset>' },
  "RateLimit-Policy": { schema: { type: "string" }, description: 'Every window of the key: "1s";q=100;w=1, "3600s";q=10000;w=3600' },
};

const headerParam = (name: string, description: string) => ({ name, in: "header", required: false, schema: { type: "string" }, description });

const authorize = {
  summary: "Forward-auth for gateways (NGINX auth_request, Traefik ForwardAuth, Envoy ext_authz); any method",
  description:
    "The gateway authenticates with its root key; the client's key comes in X-API-Key. 2xx lets the request through " +
    "with X-Keyward-Key-Id, X-Keyward-Tenant-Id and X-Keyward-Scopes for the upstream. Client address and original " +
    "URI/method headers are believed only from an authenticated gateway. NGINX turns a 429 from auth_request into 500: " +
    "deploy/nginx maps it back with auth_request_set and error_page.",
  security: rootKey,
  parameters: [
    headerParam("X-API-Key", "The client's key"),
    headerParam("X-Keyward-Required-Scope", "Scope the route needs"),
    headerParam("X-Real-IP", "Client address (checked against the key's allowlist)"),
    headerParam("X-Forwarded-For", "Client address (right-most entry) when X-Real-IP is absent"),
    headerParam("X-Original-URI", "Original URI (NGINX); X-Forwarded-Uri for Traefik"),
    headerParam("X-Original-Method", "Original method (NGINX); X-Forwarded-Method for Traefik"),
  ],
  responses: {
    "200": {
      description: "The key is valid for this request",
      headers: {
        "X-Keyward-Key-Id": { schema: { type: "string" } },
        "X-Keyward-Tenant-Id": { schema: { type: "string" } },
        "X-Keyward-Scopes": { schema: { type: "string" }, description: "Space-separated" },
      },
    },
    "400": { description: "X-Keyward-Required-Scope is not a scope", ...errorRef },
    "401": { description: "No, malformed, unknown, revoked or expired key; or no valid root key (WWW-Authenticate says which)", ...errorRef },
    "403": { description: "Key lacks the scope, or the client address is outside its allowlist", ...errorRef },
    "429": {
      description:
        "Too many bad keys from this client address, or the key's rate limit (code rate_limited, with RateLimit and " +
        "RateLimit-Policy) or credits (usage_exceeded) refused it; Retry-After",
      headers: rateLimitHeaders,
      ...errorRef,
    },
    "503": { description: "Verification temporarily unavailable", ...errorRef },
  },
};

export const verifyPaths = {
  "/v1/keys/verify": {
    post: {
      operationId: "verifyKey",
      summary: "Verify a tenant's API key or signed token (root key)",
      description:
        "200 for every completed check, with the reason in `code`; 401/403 only for the root key itself. `key` may be a " +
        "signed token (a JWT): VALID then carries its `claims`, and `cost` does not apply. The key's IP " +
        "allowlist is checked against `clientIp`. Counts as use of the key and spends `cost` (default 1) of its credits; " +
        "a key over its rate limit answers RATE_LIMITED with `reset`, one out of credits USAGE_EXCEEDED.",
      security: rootKey,
      requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/VerifyRequest" } } } },
      responses: {
        "200": { description: "The check completed", content: { "application/json": { schema: { $ref: "#/components/schemas/VerifyResult" } } } },
        "400": { description: "Malformed JSON", ...errorRef },
        "401": { description: "No valid root key", ...errorRef },
        "403": { description: "The root key may not verify keys of this key's tenant", ...errorRef },
        "413": { description: "Body larger than 8 KiB", ...errorRef },
        "415": { description: "Body is not application/json", ...errorRef },
        "422": { description: "Validation failed (see fieldErrors)", ...errorRef },
        "429": { description: "Too many bad root keys from this address", ...errorRef },
        "503": { description: "Verification temporarily unavailable", ...errorRef },
      },
    },
  },
  "/v1/authorize": authorizeOperations("authorize", ["get", "post", "put", "patch", "delete", "head", "options"]),
  "/v1/authorize/{path}": {
    parameters: [{ name: "path", in: "path", required: true, schema: { type: "string" }, description: "Any sub-path (Envoy appends the original path)" }],
    ...authorizeOperations("authorizePath", ["get", "post", "put", "patch", "delete"]),
  },
};

/** The same forward-auth operation under every method a gateway may send, each with its own operationId. */
function authorizeOperations(idPrefix: string, methods: string[]) {
  return Object.fromEntries(methods.map((method) => [method, { ...authorize, operationId: `${idPrefix}${method[0].toUpperCase()}${method.slice(1)}` }]));
}
