import { z } from "zod";
import { exchangeInputSchema } from "@/lib/tokens/issue";
import { TOKEN_EXPIRY_PRESET_IDS } from "@/lib/tokens/presets";
import type { V1OperationId } from "./v1-operations";

/**
 * The OpenAPI part of signed tokens (lib/tokens/): exchange, revoke, the revocation list and the
 * JWKS. Kept beside openapi.ts as openapi-verify.ts is; it takes that file's helpers so that the
 * operations' ids and scopes still come from the /v1 table.
 */
type Json = Record<string, unknown>;
type Helpers = {
  keyOperation: (id: V1OperationId, summary: string) => Json;
  ok: (description: string, schema: Json, headers?: never[]) => Json;
  errors: (...statuses: number[]) => Json;
  keyed: number[];
};

export const tokenSecuritySchemes = {
  Bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A signed token from POST /v1/tokens or the dashboard, wherever an API key is accepted" },
};

const claims = {
  type: "object",
  required: ["sub", "workspace", "scopes", "name", "iat", "exp", "jti", "iss", "aud"],
  properties: {
    sub: { type: "string", description: "The user's email (dashboard) or the exchanged key's id" },
    workspace: { type: "string", description: "The tenant id" },
    scopes: { type: "array", items: { type: "string" } },
    name: { type: "string" },
    iat: { type: "integer" },
    exp: { type: "integer" },
    jti: { type: "string" },
    iss: { type: "string", description: "KEYWARD_TOKEN_ISSUER (default keyward)" },
    aud: { type: "string", description: "KEYWARD_TOKEN_AUDIENCE (default keyward)" },
  },
};

export const tokenSchemas = {
  TokenExchange: {
    ...(z.toJSONSchema(exchangeInputSchema, { io: "input", unrepresentable: "any" }) as Json),
    description: `Expiry preset (${TOKEN_EXPIRY_PRESET_IDS.join(", ")}); the token never outlives the key. scopes: a subset of the key's (default: all of them).`,
  },
  IssuedToken: {
    type: "object",
    required: ["token", "tokenType", "kid", "expiresAt", "claims"],
    properties: {
      token: { type: "string", description: "The ES256 JWT; shown once" },
      tokenType: { const: "Bearer" },
      kid: { type: "string" },
      expiresAt: { type: "string", format: "date-time" },
      claims,
    },
  },
  RevocationList: {
    type: "object",
    required: ["revoked"],
    properties: {
      revoked: {
        type: "array",
        items: { type: "object", required: ["jti", "exp"], properties: { jti: { type: "string" }, exp: { type: "integer" } } },
      },
    },
  },
  Jwks: {
    type: "object",
    required: ["keys"],
    properties: { keys: { type: "array", items: { type: "object", required: ["kty", "kid", "alg"], properties: { kty: { const: "EC" }, crv: { const: "P-256" }, kid: { type: "string" }, alg: { const: "ES256" }, use: { const: "sig" }, x: { type: "string" }, y: { type: "string" } } } } },
  },
};

export function tokenPaths({ keyOperation, ok, errors, keyed }: Helpers) {
  const cacheHeaders = { ETag: { description: "Strong tag of the list: send it in If-None-Match", schema: { type: "string" } } };
  return {
    "/v1/tokens": {
      post: {
        ...keyOperation(
          "exchangeToken",
          "Exchange the calling API key for a short-lived signed token with its scopes (any valid key; not a token). A live token takes a place of the tenant's key limit: 409 limit_reached when it is full",
        ),
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/TokenExchange" } } } },
        responses: { "201": ok("The token, shown once, and its claims", { $ref: "#/components/schemas/IssuedToken" }), ...errors(...keyed, 409, 413, 415, 422) },
      },
    },
    // Before /v1/tokens/{jti}: a client matching templates in order must find this one first.
    "/v1/tokens/revocations": {
      get: {
        operationId: "listTokenRevocations",
        summary: "Revoked, unexpired tokens (jti, exp) for offline verifiers; no key needed. Poll with If-None-Match.",
        security: [],
        parameters: [{ name: "If-None-Match", in: "header", required: false, schema: { type: "string" } }],
        responses: {
          "200": { description: "The deny list", headers: cacheHeaders, content: { "application/json": { schema: { $ref: "#/components/schemas/RevocationList" } } } },
          "304": { description: "Unchanged since the ETag sent", headers: cacheHeaders },
          ...errors(405),
        },
      },
    },
    "/v1/tokens/{jti}": {
      parameters: [{ name: "jti", in: "path", required: true, description: "The token's jti", schema: { type: "string" } }],
      delete: {
        ...keyOperation("revokeToken", "Revoke a token of the tenant: refused by Keyward on the next request, listed in /v1/tokens/revocations"),
        responses: {
          "200": ok("Revoked", { type: "object", required: ["jti", "revokedAt"], properties: { jti: { type: "string" }, revokedAt: { type: "string", format: "date-time" } } }),
          ...errors(...keyed, 404),
        },
      },
    },
    "/.well-known/jwks.json": {
      get: {
        operationId: "jwks",
        summary: "The public keys (ES256, with kid) that verify signed tokens; no key needed. Cache-Control: max-age=300.",
        security: [],
        responses: { "200": { description: "JWK Set", content: { "application/json": { schema: { $ref: "#/components/schemas/Jwks" } } } }, ...errors(405) },
      },
    },
  };
}
