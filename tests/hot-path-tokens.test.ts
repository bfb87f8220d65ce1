// POST /v1/keys/verify with one of Keyward's signed tokens in `key`, on a real node:http server
// running server/hot-path.ts on a seeded database (SQLite, and PostgreSQL in that phase): VALID
// with the token's claims, and the codes keys get (REVOKED, EXPIRED, INSUFFICIENT_SCOPE,
// NOT_FOUND for a tampered token); a root key limited to other tenants is 403. Ports 3170-3189.
import http from "node:http";
import { createTestRootKey, serveHotPath } from "./helpers/hot-path-server";
import { setupVerifierDb } from "./helpers/verifier-db";
import { describe, expect, it } from "vitest";
import type { SeededDb } from "./db";
import type { Verifier } from "../lib/verify/verify";
import { issueUserToken } from "../lib/tokens/issue";
import { revokeToken } from "../lib/tokens/revocation";

let t: SeededDb;
let verifier: Verifier;
let server: http.Server;
let base: string;
let root: string;
let globexOnlyRoot: string;

setupVerifierDb(
  "hot-path-tokens",
  async (db, v) => {
    t = db;
    verifier = v;
    // The endpoint reads tokens through lib/db's client: this test's database.
    (globalThis as unknown as { keywardDb?: unknown }).keywardDb = t.db;
    ({ server, base } = await serveHotPath(verifier, { nonce: null, portFrom: 3170, ports: 20 }));
    root = (await createTestRootKey(t, "Gateway")).secret;
    globexOnlyRoot = (await createTestRootKey(t, "Globex only", [t.fx.globex.id])).secret;
  },
  { perFile: true, teardown: () => new Promise((resolve) => server?.close(resolve)) },
);

async function issue(now?: Date) {
  const result = await issueUserToken(
    t.db,
    { tenantId: t.fx.acme.id, user: { id: t.fx.users.admin.id, email: t.fx.users.admin.email }, requestId: "req_hot_tokens", now },
    { name: "Verify me", expiresIn: "1h", groupId: t.fx.groups.acmeFull.id, scopes: ["api_keys:read"] },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

async function postVerify(body: Record<string, unknown>, secret = root) {
  const response = await fetch(`${base}/v1/keys/verify`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${secret}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /v1/keys/verify with a signed token", () => {
  it("answers VALID with the token's claims", async () => {
    const { token, claims } = await issue();
    const { status, body } = await postVerify({ key: token, scope: "api_keys:read" });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      valid: true,
      code: "VALID",
      keyId: claims.jti,
      tenantId: t.fx.acme.id,
      name: "Verify me",
      scopes: ["api_keys:read"],
      expiresAt: new Date(claims.exp * 1000).toISOString(),
      claims: { sub: t.fx.users.admin.email, workspace: t.fx.acme.id, jti: claims.jti, scopes: ["api_keys:read"], exp: claims.exp, iss: "keyward", aud: "keyward" },
    });
  });

  it("answers the codes keys get: INSUFFICIENT_SCOPE, REVOKED, EXPIRED, NOT_FOUND; another tenant's root key is 403", async () => {
    const { token, claims } = await issue();
    expect((await postVerify({ key: token, scope: "api_keys:write" })).body).toMatchObject({ valid: false, code: "INSUFFICIENT_SCOPE", keyId: claims.jti });
    expect((await postVerify({ key: token }, globexOnlyRoot)).status).toBe(403);
    const [h, , s] = token.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, scopes: ["api_keys:write"] })).toString("base64url")}.${s}`;
    expect((await postVerify({ key: tampered })).body).toMatchObject({ valid: false, code: "NOT_FOUND", keyId: null });
    const actor = { type: "user" as const, userId: t.fx.users.admin.id, label: t.fx.users.admin.email };
    expect((await revokeToken(t.db, { tenantId: t.fx.acme.id, actor, requestId: "req_r" }, claims.jti)).ok).toBe(true);
    expect((await postVerify({ key: token })).body).toMatchObject({ valid: false, code: "REVOKED" });
    const old = await issue(new Date(Date.now() - 2 * 60 * 60_000));
    expect((await postVerify({ key: old.token })).body).toMatchObject({ valid: false, code: "EXPIRED" });
  });
});

describe("a disabled key on the hot path (issue 16.16)", () => {
  it("POST /v1/keys/verify answers DISABLED and forward-auth 401 from the next request on, and VALID again once re-enabled", async () => {
    const { createApiKey } = await import("../lib/api-keys/mutations");
    const { disableApiKey, enableApiKey } = await import("../lib/api-keys/lifecycle");
    const admin = { tenantId: t.fx.acme.id, actor: { type: "user" as const, userId: t.fx.users.admin.id, label: t.fx.users.admin.email }, requestId: "req_hot_disable" };
    const created = await createApiKey(t.db, admin, { name: "Switch me off", groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const { key, secret } = created.value;
    const authorize = () => fetch(`${base}/v1/authorize`, { headers: { "X-Keyward-Root-Key": root, "X-API-Key": secret } });

    expect(await postVerify({ key: secret })).toMatchObject({ status: 200, body: { valid: true, code: "VALID" } });
    expect((await authorize()).status).toBe(200);
    expect(await disableApiKey(t.db, admin, key.id)).toMatchObject({ ok: true });
    // No cache clear here: the change itself must reach the cache.
    expect(await postVerify({ key: secret })).toMatchObject({ status: 200, body: { valid: false, code: "DISABLED" } });
    expect((await authorize()).status).toBe(401);
    expect(await enableApiKey(t.db, admin, key.id)).toMatchObject({ ok: true });
    expect(await postVerify({ key: secret })).toMatchObject({ status: 200, body: { valid: true, code: "VALID" } });
    expect((await authorize()).status).toBe(200);
  });
});
