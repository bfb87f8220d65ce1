// The /v1 operations are written once (lib/api/v1-operations.ts): every operation has the scope
// the permission map gives its permission; the route files serve exactly the table's operations
// with the table's method; the OpenAPI document's operations and security scopes are the
// table's; read/write comes from the method, HEAD being a read. (server/v1-gate.ts matches
// requests with v1OperationFor, tested here too.)
import { describe, expect, it } from "vitest";
import { KEY_SCOPE_FOR, SCOPES, allows, type Permission } from "@/lib/auth/permissions";
import { V1_OPERATION_LIST, V1_OPERATIONS, v1OperationFor } from "@/lib/api/v1-operations";
import { openApiDocument } from "@/lib/api/openapi";

const ROUTE_FILES = {
  "/v1/whoami": () => import("@/app/v1/whoami/route"),
  "/v1/audit/checkpoints": () => import("@/app/v1/audit/checkpoints/route"),
  "/v1/api-keys": () => import("@/app/v1/api-keys/route"),
  "/v1/api-keys/{key_id}": () => import("@/app/v1/api-keys/[key_id]/route"),
  "/v1/api-keys/{key_id}/rotate": () => import("@/app/v1/api-keys/[key_id]/rotate/route"),
  "/v1/api-keys/{key_id}/end-overlap": () => import("@/app/v1/api-keys/[key_id]/end-overlap/route"),
  "/v1/api-keys/{key_id}/disable": () => import("@/app/v1/api-keys/[key_id]/disable/route"),
  "/v1/api-keys/{key_id}/enable": () => import("@/app/v1/api-keys/[key_id]/enable/route"),
  "/v1/tokens": () => import("@/app/v1/tokens/route"),
  "/v1/tokens/{jti}": () => import("@/app/v1/tokens/[jti]/route"),
  "/v1/connections/{connection_id}/credential": () => import("@/app/v1/connections/[connection_id]/credential/route"),
};

describe("the /v1 operations table", () => {
  it("gives every operation the scope of its permission; only whoami and token exchange need none", () => {
    for (const op of V1_OPERATION_LIST) {
      if (op.auth === "root_key") {
        // A root key's operation: a platform permission that no tenant key scope reaches.
        expect(op.scope, op.id).toBeNull();
        expect(allows({ type: "root_key" }, op.permission!), op.id).toBe(true);
        expect(allows({ type: "api_key", scopes: Object.values(SCOPES) }, op.permission!), op.id).toBe(false);
        expect(allows({ type: "user", role: "owner", isSuperUser: true }, op.permission!), op.id).toBe(false);
        continue;
      }
      if (op.id === "whoami" || op.id === "exchangeToken") {
        expect(op.permission).toBeNull();
        expect(op.scope).toBeNull();
        continue;
      }
      expect(op.permission, op.id).not.toBeNull();
      expect(op.scope, op.id).toBe(KEY_SCOPE_FOR[op.permission as keyof typeof KEY_SCOPE_FOR]);
      expect(Object.values(SCOPES)).toContain(op.scope);
      // And the map lets a key with exactly that scope do it, and a key without it not.
      expect(allows({ type: "api_key", scopes: [op.scope!] }, op.permission!), op.id).toBe(true);
      expect(allows({ type: "api_key", scopes: Object.values(SCOPES).filter((s) => s !== op.scope) }, op.permission!), op.id).toBe(false);
    }
  });

  it("derives read and write from the method; HEAD is its GET's read", () => {
    for (const op of V1_OPERATION_LIST) expect(op.write, op.id).toBe(op.method !== "GET");
    expect(v1OperationFor("HEAD", "/v1/api-keys")).toMatchObject({ id: "listApiKeys", write: false, scope: SCOPES.keysRead });
    expect(v1OperationFor("GET", "/v1/api-keys/key_1")).toMatchObject({ id: "getApiKey", write: false });
    expect(v1OperationFor("PATCH", "/v1/api-keys/key_1")).toMatchObject({ id: "updateApiKey", write: true, scope: SCOPES.keysWrite });
    expect(v1OperationFor("POST", "/v1/api-keys/key_1/rotate")).toMatchObject({ id: "rotateApiKey", write: true });
    expect(v1OperationFor("GET", "/v1/audit/checkpoints")).toMatchObject({ id: "listAuditCheckpoints", scope: SCOPES.keysRead });
    expect(v1OperationFor("PUT", "/v1/api-keys/key_1")).toBeNull();
    expect(v1OperationFor("GET", "/v1/api-keys/a/b")).toBeNull();
    expect(v1OperationFor("POST", "/v1/keys/verify")).toBeNull();
    expect(v1OperationFor("GET", "/v1/connections/conn_1/credential")).toMatchObject({ id: "readConnectionCredential", auth: "root_key", scope: null, write: false });
  });

  it("is what the route files serve: each apiRoute handler carries its operation, under its method", async () => {
    const served: string[] = [];
    for (const [path, load] of Object.entries(ROUTE_FILES)) {
      const loaded = (await load()) as Record<string, unknown>;
      for (const [method, handler] of Object.entries(loaded)) {
        const operation = (handler as { operation?: (typeof V1_OPERATION_LIST)[number] }).operation;
        if (!operation) continue; // methodNotAllowed
        expect(operation.method, `${method} ${path}`).toBe(method);
        expect(operation.path, `${method} ${path}`).toBe(path);
        served.push(operation.id);
      }
    }
    expect(served.sort()).toEqual(Object.keys(V1_OPERATIONS).sort());
  });

  it("is what the OpenAPI document says: the same operations, each with the table's scope", () => {
    const doc = openApiDocument("/");
    const keyed: Record<string, { path: string; method: string; scopes: string[] }> = {};
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, unknown>)) {
        if (method === "parameters") continue;
        const op = operation as { operationId: string; security?: Record<string, string[]>[] };
        const security = op.security ?? doc.security;
        const apiKey = security.find((s) => "ApiKey" in s);
        if (apiKey) keyed[op.operationId] = { path, method: method.toUpperCase(), scopes: apiKey.ApiKey };
        if (security.some((s) => "RootKey" in s) && V1_OPERATION_LIST.some((o) => o.id === op.operationId)) {
          keyed[op.operationId] = { path, method: method.toUpperCase(), scopes: ["root_key"] };
        }
      }
    }
    const expected = Object.fromEntries(
      V1_OPERATION_LIST.map((op) => [op.id, { path: op.path, method: op.method, scopes: op.auth === "root_key" ? ["root_key"] : op.scope ? [op.scope] : [] }]),
    );
    expect(keyed).toEqual(expected);
  });

  it("leaves no tenant permission a key could reach without its scope", () => {
    for (const permission of ["keys.revokeAll", "settings.read"] as Permission[]) {
      expect(allows({ type: "api_key", scopes: Object.values(SCOPES) }, permission), permission).toBe(false);
    }
  });
});
