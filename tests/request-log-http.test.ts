// The request log through the hot path's front doors on a real node:http server (SQLite, and
// PostgreSQL in that phase): the /v1 gate records the client's method, path (no query string)
// and user agent, forward-auth records the gateway's original request, POST /v1/keys/verify
// records the platform's check, each with the request id the client was answered with.
// Ports 3260-3269.
import http from "node:http";
import { describe, expect, it } from "vitest";
import { createTestRootKey, serveHotPath } from "./helpers/hot-path-server";
import { setupVerifierDb } from "./helpers/verifier-db";
import { userContext, type SeededDb } from "./db";
import { createApiKey } from "../lib/api-keys/mutations";
import { flushRequestLog } from "../lib/request-log/buffer";
import { exchangeKeyForToken } from "../lib/tokens/issue";
import { revokeToken } from "../lib/tokens/revocation";
import type { Verifier } from "../lib/verify/verify";

let t: SeededDb;
let verifier: Verifier;
let server: http.Server;
let base: string;
let root: string;

setupVerifierDb(
  "request-log-http",
  async (db, v) => {
    t = db;
    // Tokens are read through lib/db's client: this test's database.
    (globalThis as unknown as { keywardDb?: unknown }).keywardDb = t.db;
    verifier = v;
    ({ server, base } = await serveHotPath(verifier, { nonce: "request-log-nonce", portFrom: 3260, ports: 10 }));
    root = (await createTestRootKey(t, "Gateway")).secret;
  },
  { perFile: true, teardown: () => new Promise((resolve) => server?.close(resolve)) },
);

describe("request log over HTTP", () => {
  it("each front door records its request with the id it answered with", async () => {
    const created = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name: "HTTP logged", groupId: t.fx.groups.acmeReadOnly.id });
    if (!created.ok) throw new Error(created.error.message);
    const { key, secret } = created.value;

    const whoami = await fetch(`${base}/v1/whoami?secret=leak`, { headers: { "X-API-Key": secret, "User-Agent": "billing-job/2.1", "X-Request-Id": "req_rl_gate" } });
    expect(whoami.status).toBe(200);
    const authorize = await fetch(`${base}/v1/authorize`, {
      headers: { "X-Keyward-Root-Key": root, "X-API-Key": secret, "X-Real-IP": "198.51.100.23", "X-Original-URI": "/orders/42?x=1", "X-Original-Method": "DELETE", "User-Agent": "client/1", "X-Request-Id": "req_rl_auth" },
    });
    expect(authorize.status).toBe(200);
    const checked = await fetch(`${base}/v1/keys/verify`, {
      method: "POST",
      headers: { Authorization: `Bearer ${root}`, "Content-Type": "application/json", "X-Request-Id": "req_rl_verify" },
      body: JSON.stringify({ key: secret, scope: "api_keys:write", clientIp: "192.0.2.44" }),
    });
    expect(await checked.json()).toMatchObject({ valid: false, code: "INSUFFICIENT_SCOPE" });
    await flushRequestLog();

    const rows = await t.db.requestLog.findMany({ where: { keyId: key.id }, orderBy: { id: "asc" } });
    expect(rows.map(({ requestId, outcome, clientIp, method, path, userAgent, source }) => ({ requestId, outcome, clientIp, method, path, userAgent, source }))).toEqual([
      { requestId: "req_rl_gate", outcome: "VALID", clientIp: "127.0.0.1", method: "GET", path: "/v1/whoami", userAgent: "billing-job/2.1", source: "v1" },
      { requestId: "req_rl_auth", outcome: "VALID", clientIp: "198.51.100.23", method: "DELETE", path: "/orders/42", userAgent: "client/1", source: "authorize" },
      { requestId: "req_rl_verify", outcome: "INSUFFICIENT_SCOPE", clientIp: "192.0.2.44", method: null, path: null, userAgent: null, source: "verify" },
    ]);
  });

  it("a signed token's verifications go to the log of the key it was exchanged from, with its jti", async () => {
    const created = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name: "Token logged", groupId: t.fx.groups.acmeReadOnly.id });
    if (!created.ok) throw new Error(created.error.message);
    const { key } = created.value;
    const exchanging = { id: key.id, tenantId: t.fx.acme.id, name: key.name, secretPrefix: "kw_test", scopes: ["api_keys:read"], expiresAt: null, groupId: t.fx.groups.acmeReadOnly.id };
    const issued = await exchangeKeyForToken(t.db, { key: exchanging, requestId: "req_rl_exchange" }, { expiresIn: "15m" });
    if (!issued.ok) throw new Error(issued.error.message);
    const { token, claims } = issued.value;

    const gate = await fetch(`${base}/v1/whoami`, { headers: { Authorization: `Bearer ${token}`, "User-Agent": "cli/1", "X-Request-Id": "req_rl_token_gate" } });
    expect(gate.status).toBe(200);
    const authorize = await fetch(`${base}/v1/authorize`, {
      headers: { "X-Keyward-Root-Key": root, Authorization: `Bearer ${token}`, "X-Real-IP": "198.51.100.24", "X-Original-URI": "/reports", "X-Original-Method": "GET", "X-Request-Id": "req_rl_token_auth" },
    });
    expect(authorize.status).toBe(200);
    const checked = await fetch(`${base}/v1/keys/verify`, {
      method: "POST",
      headers: { Authorization: `Bearer ${root}`, "Content-Type": "application/json", "X-Request-Id": "req_rl_token_verify" },
      body: JSON.stringify({ key: token, clientIp: "192.0.2.45" }),
    });
    expect(await checked.json()).toMatchObject({ valid: true });
    // A forged token (another signature) is not the key's and is not logged.
    const forged = await fetch(`${base}/v1/whoami`, { headers: { Authorization: `Bearer ${token.slice(0, -4)}AAAA`, "X-Request-Id": "req_rl_token_forged" } });
    expect(forged.status).toBe(401);
    const actor = { type: "user" as const, userId: t.fx.users.admin.id, label: t.fx.users.admin.email };
    const revoked = await revokeToken(t.db, { tenantId: t.fx.acme.id, actor, requestId: "req_rl_revoke" }, claims.jti);
    expect(revoked.ok).toBe(true);
    const refused = await fetch(`${base}/v1/whoami`, { headers: { Authorization: `Bearer ${token}`, "X-Request-Id": "req_rl_token_revoked" } });
    expect(refused.status).toBe(401);
    await flushRequestLog();

    const rows = await t.db.requestLog.findMany({ where: { keyId: key.id }, orderBy: { id: "asc" } });
    expect(rows.map(({ requestId, outcome, tokenId, clientIp, path, source }) => ({ requestId, outcome, tokenId, clientIp, path, source }))).toEqual([
      { requestId: "req_rl_token_gate", outcome: "VALID", tokenId: claims.jti, clientIp: "127.0.0.1", path: "/v1/whoami", source: "v1" },
      { requestId: "req_rl_token_auth", outcome: "VALID", tokenId: claims.jti, clientIp: "198.51.100.24", path: "/reports", source: "authorize" },
      { requestId: "req_rl_token_verify", outcome: "VALID", tokenId: claims.jti, clientIp: "192.0.2.45", path: null, source: "verify" },
      { requestId: "req_rl_token_revoked", outcome: "REVOKED", tokenId: claims.jti, clientIp: "127.0.0.1", path: "/v1/whoami", source: "v1" },
    ]);
    expect(await t.db.requestLog.count({ where: { requestId: "req_rl_token_forged" } })).toBe(0);
  });
});
