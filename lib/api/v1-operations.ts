import { keyScopeFor, type Permission, type PlatformPermission, type Scope } from "../auth/permissions";

/**
 * Every /v1 operation an API key calls, written once: its method, path and the permission it
 * needs. The scope comes from the permission map (lib/auth/permissions.ts, KEY_SCOPE_FOR), and
 * whether it writes from its method. The gate in front of Next.js (server/v1-gate.ts), the
 * route files (apiRoute in lib/api/v1.ts) and the OpenAPI document (lib/api/openapi.ts) all
 * read this table, so they cannot disagree. Relative imports only: server/ runs it under node.
 * An operation with `auth: "root_key"` is called by the platform's own services with a root key
 * (its permission is a platform one); the gate leaves it to its route, which checks the root key.
 * Not here: /v1/health, /v1/openapi.json and /v1/tokens/revocations (no key), and the root-key hot path
 * (POST /v1/keys/verify, /v1/authorize: server/hot-path.ts).
 */
export const V1_OPERATIONS = {
  whoami: { method: "GET", path: "/v1/whoami", permission: null },
  listAuditCheckpoints: { method: "GET", path: "/v1/audit/checkpoints", permission: "audit.read" },
  listApiKeys: { method: "GET", path: "/v1/api-keys", permission: "keys.read" },
  createApiKey: { method: "POST", path: "/v1/api-keys", permission: "keys.create" },
  getApiKey: { method: "GET", path: "/v1/api-keys/{key_id}", permission: "keys.read" },
  updateApiKey: { method: "PATCH", path: "/v1/api-keys/{key_id}", permission: "keys.update" },
  revokeApiKey: { method: "DELETE", path: "/v1/api-keys/{key_id}", permission: "keys.revoke" },
  rotateApiKey: { method: "POST", path: "/v1/api-keys/{key_id}/rotate", permission: "keys.rotate" },
  // Ending a rotation overlap early belongs to rotating; disable/enable is its own switch.
  endRotationOverlap: { method: "POST", path: "/v1/api-keys/{key_id}/end-overlap", permission: "keys.rotate" },
  disableApiKey: { method: "POST", path: "/v1/api-keys/{key_id}/disable", permission: "keys.disable" },
  enableApiKey: { method: "POST", path: "/v1/api-keys/{key_id}/enable", permission: "keys.disable" },
  // Token exchange: any valid API key, for a token with at most its own scopes (never more power).
  exchangeToken: { method: "POST", path: "/v1/tokens", permission: null },
  revokeToken: { method: "DELETE", path: "/v1/tokens/{jti}", permission: "tokens.revoke" },
  readConnectionCredential: {
    method: "GET",
    path: "/v1/connections/{connection_id}/credential",
    permission: "connections.readCredential",
    auth: "root_key",
  },
} as const satisfies Record<
  string,
  | { method: "GET" | "POST" | "PATCH" | "DELETE"; path: string; permission: Permission | null; auth?: "api_key" }
  | { method: "GET" | "POST" | "PATCH" | "DELETE"; path: string; permission: PlatformPermission; auth: "root_key" }
>;

export type V1OperationId = keyof typeof V1_OPERATIONS;

export type V1Operation = {
  id: V1OperationId;
  method: (typeof V1_OPERATIONS)[V1OperationId]["method"];
  /** OpenAPI's template, e.g. /v1/api-keys/{key_id}. */
  path: string;
  /** null: any valid key (GET /v1/whoami, the key's own description; POST /v1/tokens, its own exchange). */
  permission: Permission | PlatformPermission | null;
  /** Who calls it: a tenant's API key (or signed token), or the platform's root key. */
  auth: "api_key" | "root_key";
  scope: Scope | null;
  /** Not a safe method (RFC 9110): a key's previous secret in a rotation overlap may not write. */
  write: boolean;
  pattern: RegExp;
};

const SAFE_METHODS = new Set(["GET", "HEAD"]);

export const V1_OPERATION_LIST: readonly V1Operation[] = Object.entries(V1_OPERATIONS).map(([id, entry]) => {
  const op = entry as { method: V1Operation["method"]; path: string; permission: Permission | PlatformPermission | null; auth?: "api_key" | "root_key" };
  const auth = op.auth ?? "api_key";
  const scope = op.permission === null || auth === "root_key" ? null : keyScopeFor(op.permission as Permission);
  // A permission no scope grants (revoke all) must never become "any valid key".
  if (auth === "api_key" && op.permission !== null && scope === null) throw new Error(`No key scope grants ${op.permission} (${id}).`);
  return {
    id: id as V1OperationId,
    method: op.method,
    path: op.path,
    permission: op.permission,
    auth,
    scope,
    write: !SAFE_METHODS.has(op.method),
    pattern: new RegExp(`^${op.path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  };
});

const BY_ID = new Map(V1_OPERATION_LIST.map((op) => [op.id, op]));

export function v1Operation(id: V1OperationId): V1Operation {
  return BY_ID.get(id)!;
}

/** The operation a request calls; HEAD is answered as its GET (and is a read). */
export function v1OperationFor(method: string | undefined, path: string): V1Operation | null {
  const wanted = method === "HEAD" ? "GET" : method;
  return V1_OPERATION_LIST.find((op) => op.method === wanted && op.pattern.test(path)) ?? null;
}
