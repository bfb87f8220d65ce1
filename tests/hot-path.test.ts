// The hot path's HTTP contracts, on a real node:http server running server/hot-path.ts on a
// seeded database (SQLite, and PostgreSQL in that phase): POST /v1/keys/verify (root-key auth,
// 200 with a code for every completed check, bad input in the envelope, never 500) and
// /v1/authorize (the forward-auth contract of NGINX auth_request, Traefik ForwardAuth and Envoy
// ext_authz). Ports 3150-3169.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTestRootKey, serveHotPath, superUserContext } from "./helpers/hot-path-server";
import { setupVerifierDb } from "./helpers/verifier-db";
import { describe, expect, it } from "vitest";
import { userContext, type SeededDb } from "./db";
import { createApiKey, revokeApiKey } from "../lib/api-keys/mutations";
import { generateApiKeySecret } from "../lib/api-keys/key-format";
import { revokeRootKey } from "../lib/root-keys/mutations";
import { flushUsage } from "../lib/verify/usage";
import type { Verifier } from "../lib/verify/verify";
import { createHotPath } from "../server/hot-path";

let t: SeededDb;
let verifier: Verifier;
let server: http.Server;
let base: string;
let root: string;
let acmeOnlyRoot: string;
let rootId: string;
const superCtx = () => superUserContext(t, "req_hot_path_1");

setupVerifierDb(
  "hot-path",
  async (db, v) => {
    t = db;
    verifier = v;
    await t.db.tenant.updateMany({ data: { keyLimit: 1000 } });
    ({ server, base } = await serveHotPath(verifier, { nonce: null, portFrom: 3150, ports: 20 }));
    const all = await createTestRootKey(t, "Gateway");
    root = all.secret;
    rootId = all.key.id;
    acmeOnlyRoot = (await createTestRootKey(t, "Acme only", [t.fx.acme.id])).secret;
  },
  { perFile: true, teardown: () => new Promise((resolve) => server?.close(resolve)) },
);

async function newKey(input: Record<string, unknown> = {}, tenant: "acme" | "globex" = "acme") {
  const tenantId = tenant === "acme" ? t.fx.acme.id : t.fx.globex.id;
  const user = tenant === "acme" ? t.fx.users.admin : t.fx.users.globexAdmin;
  const groupId = tenant === "acme" ? t.fx.groups.acmeReadOnly.id : t.fx.groups.globexAutomation.id;
  const created = await createApiKey(t.db, userContext(tenantId, user), { name: `hot ${Math.random()}`, groupId, ...input });
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

function postVerify(body: unknown, headers: Record<string, string> = { Authorization: `Bearer ${root}` }) {
  return fetch(`${base}/v1/keys/verify`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("POST /v1/keys/verify", () => {
  it("answers 200 with the key's description for a valid key, and counts it as use", async () => {
    const { key, secret } = await newKey();
    const response = await postVerify({ key: secret, scope: "api_keys:read" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      valid: true,
      code: "VALID",
      keyId: key.id,
      tenantId: t.fx.acme.id,
      name: key.name,
      group: { id: t.fx.groups.acmeReadOnly.id, name: "Read only" },
      scopes: ["api_keys:read"],
      expiresAt: null,
    });
    expect(body.requestId).toMatch(/^req_/);
    await flushUsage();
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { lastUsedAt: true } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("says why a key is not valid: NOT_FOUND, REVOKED, EXPIRED, INSUFFICIENT_SCOPE, IP_NOT_ALLOWED", async () => {
    const cases: [string, Record<string, unknown>, string][] = [];
    cases.push([generateApiKeySecret(), {}, "NOT_FOUND"]);
    cases.push(["kw_malformed", {}, "NOT_FOUND"]);
    const revoked = await newKey();
    await revokeApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), revoked.key.id);
    cases.push([revoked.secret, {}, "REVOKED"]);
    const expired = await newKey();
    await t.db.apiKey.update({ where: { id: expired.key.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    cases.push([expired.secret, {}, "EXPIRED"]);
    const readOnly = await newKey();
    cases.push([readOnly.secret, { scope: "api_keys:write" }, "INSUFFICIENT_SCOPE"]);
    const allowlisted = await newKey({ ipAllowlist: "203.0.113.0/24" });
    cases.push([allowlisted.secret, { clientIp: "198.51.100.1" }, "IP_NOT_ALLOWED"]);
    // Without a clientIp, an allowlisted key fails closed.
    cases.push([allowlisted.secret, {}, "IP_NOT_ALLOWED"]);
    for (const [key, extra, code] of cases) {
      const response = await postVerify({ key, ...extra });
      expect(response.status, code).toBe(200);
      expect(await response.json(), code).toMatchObject({ valid: false, code });
    }
    const inRange = await postVerify({ key: allowlisted.secret, clientIp: "203.0.113.9" });
    expect(await inRange.json()).toMatchObject({ valid: true, code: "VALID" });
  });

  it("after repeated bad keys from one client address answers RATE_LIMITED with Retry-After; a valid key still passes", async () => {
    const { secret } = await newKey();
    let last: Response | null = null;
    for (let i = 0; i < 25; i++) last = await postVerify({ key: generateApiKeySecret(), clientIp: "198.51.100.77" });
    expect(last!.status).toBe(200);
    expect(await last!.json()).toMatchObject({ valid: false, code: "RATE_LIMITED" });
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await (await postVerify({ key: secret, clientIp: "198.51.100.77" })).json()).toMatchObject({ code: "VALID" });
  });

  it("refuses the caller, not the key, in the envelope: no, malformed, tenant or revoked root key; another tenant's key", async () => {
    const { secret } = await newKey();
    for (const headers of [{} as Record<string, string>, { Authorization: "Bearer kwr_nope" }, { Authorization: `Bearer ${secret}` }, { Authorization: root }]) {
      const response = await postVerify({ key: secret }, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/Bearer/);
      expect((await response.json()).error).toMatchObject({ code: "unauthorized", requestId: expect.stringMatching(/^req_/) });
    }
    const globex = await newKey({}, "globex");
    const other = await postVerify({ key: globex.secret }, { Authorization: `Bearer ${acmeOnlyRoot}` });
    expect(other.status).toBe(403);
    expect((await other.json()).error.code).toBe("tenant_not_allowed");
    expect((await postVerify({ key: secret }, { Authorization: `Bearer ${acmeOnlyRoot}` })).status).toBe(200);

    const doomed = await createTestRootKey(t, "Doomed");
    expect((await postVerify({ key: secret }, { "X-Keyward-Root-Key": doomed.secret })).status).toBe(200);
    await revokeRootKey(t.db, superCtx(), doomed.key.id);
    expect((await postVerify({ key: secret }, { "X-Keyward-Root-Key": doomed.secret })).status).toBe(401);
  });

  it("answers bad input with a clear envelope error, never 500", async () => {
    const { secret } = await newKey();
    const cases: [unknown, Record<string, string>, number, string][] = [
      ["{not json", {}, 400, "invalid_json"],
      [{ key: secret }, { "Content-Type": "text/plain" }, 415, "unsupported_media_type"],
      [{ key: secret }, { "Content-Type": "application/json-patch+json" }, 415, "unsupported_media_type"],
      [{}, {}, 422, "validation_failed"],
      [{ key: 42 }, {}, 422, "validation_failed"],
      [{ key: "x".repeat(4097) }, {}, 422, "validation_failed"],
      [{ key: secret, clientIp: "999.1.1.1" }, {}, 422, "validation_failed"],
      [{ key: secret, clientIp: "10.0.0.0/8" }, {}, 422, "validation_failed"],
      [{ key: secret, scope: "a b" }, {}, 422, "validation_failed"],
      [{ key: secret, surprise: true }, {}, 422, "validation_failed"],
      [[secret], {}, 422, "validation_failed"],
      ["null", {}, 422, "validation_failed"],
      [{ key: secret, pad: "x".repeat(10_000) }, {}, 413, "payload_too_large"],
    ];
    for (const [body, headers, status, code] of cases) {
      const response = await postVerify(body, { Authorization: `Bearer ${root}`, ...headers });
      expect(response.status, JSON.stringify(body).slice(0, 40)).toBe(status);
      expect((await response.json()).error.code).toBe(code);
    }
    const get = await fetch(`${base}/v1/keys/verify`, { headers: { Authorization: `Bearer ${root}` } });
    expect(get.status).toBe(405);
  });
});

/** POST /v1/keys/verify with a chunked body written in `parts`, each part a write of its own after the headers. */
function postInParts(parts: string[]): Promise<{ status: number; body: { valid?: boolean; code?: string; error?: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}/v1/keys/verify`, {
      method: "POST",
      headers: { Authorization: `Bearer ${root}`, "Content-Type": "application/json" },
    });
    request.on("error", reject);
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    request.flushHeaders();
    const next = (i: number) => {
      if (i === parts.length) return void request.end();
      request.write(parts[i], () => setImmediate(() => next(i + 1)));
    };
    next(0);
  });
}

describe("POST /v1/keys/verify, a body that arrives after its headers", () => {
  // The endpoint reads a body that came with the headers straight from the stream's buffer and
  // waits for the rest otherwise (server/respond.ts readBody): both give the same answers.
  it("is read whole, and refused as too large past the limit", async () => {
    const { secret } = await newKey();
    const json = JSON.stringify({ key: secret });
    const whole = await postInParts([json.slice(0, 5), json.slice(5, 20), json.slice(20)]);
    expect(whole).toMatchObject({ status: 200, body: { valid: true, code: "VALID" } });
    const large = await postInParts([json.slice(0, -1), `, "pad": "${"x".repeat(5_000)}`, `${"y".repeat(5_000)}"}`]);
    expect(large).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });
  });
});

describe("/v1/authorize (forward-auth)", () => {
  const gateway = () => ({ "X-Keyward-Root-Key": root });

  it("200 with the tenant headers for a valid key, on any method and sub-path", async () => {
    const { key, secret } = await newKey();
    for (const [method, path] of [["GET", "/v1/authorize"], ["POST", "/v1/authorize/orders/42"], ["DELETE", "/v1/authorize/x?y=1"]]) {
      const response = await fetch(base + path, { method, headers: { ...gateway(), "X-API-Key": secret, "X-Original-URI": "/orders" } });
      expect(response.status, `${method} ${path}`).toBe(200);
      expect(response.headers.get("x-keyward-key-id")).toBe(key.id);
      expect(response.headers.get("x-keyward-tenant-id")).toBe(t.fx.acme.id);
      expect(response.headers.get("x-keyward-scopes")).toBe("api_keys:read");
      // Headers only: NGINX keeps its connection to Keyward only when nothing is left unread.
      expect(response.headers.get("content-length")).toBe("0");
      expect(await response.text()).toBe("");
    }
    // deploy/nginx asks with HEAD (proxy_method), for the same reason on 401s and 403s.
    const head = await fetch(`${base}/v1/authorize`, { method: "HEAD", headers: { ...gateway(), "X-API-Key": secret } });
    expect(head.status).toBe(200);
    expect(head.headers.get("x-keyward-key-id")).toBe(key.id);
    const headRefused = await fetch(`${base}/v1/authorize`, { method: "HEAD", headers: { ...gateway(), "X-API-Key": generateApiKeySecret(), "X-Real-IP": "198.51.100.50" } });
    expect(headRefused.status).toBe(401);
    expect(headRefused.headers.get("www-authenticate")).toBe('ApiKey header="X-API-Key"');
  });

  it("a root key revoked mid-connection is refused on that keep-alive connection's next request", async () => {
    // The root key's hash is kept per connection (lib/verify/root-key.ts); its state is not.
    const gateway = await createTestRootKey(t, "Keep-alive gateway");
    const { secret } = await newKey();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ports = new Set<number>();
    const ask = () =>
      new Promise<number>((resolve, reject) => {
        const req = http.get(`${base}/v1/authorize`, { agent, headers: { "X-Keyward-Root-Key": gateway.secret, "X-API-Key": secret } }, (res) => {
          ports.add(res.socket.localPort!);
          res.resume();
          res.on("end", () => resolve(res.statusCode!));
        });
        req.on("error", reject);
      });
    try {
      expect(await ask()).toBe(200);
      expect(await ask()).toBe(200);
      await revokeRootKey(t.db, superCtx(), gateway.key.id);
      expect(await ask()).toBe(401);
      expect(ports.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it("401 with WWW-Authenticate without a key; 403 for the wrong scope or address; 429 with Retry-After after bad keys", async () => {
    const noKey = await fetch(`${base}/v1/authorize`, { headers: gateway() });
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get("www-authenticate")).toBe('ApiKey header="X-API-Key"');
    const { secret } = await newKey();
    const scoped = await fetch(`${base}/v1/authorize`, { headers: { ...gateway(), "X-API-Key": secret, "X-Keyward-Required-Scope": "orders:write" } });
    expect(scoped.status).toBe(403);
    expect((await scoped.json()).error.code).toBe("insufficient_scope");
    const allowlisted = await newKey({ ipAllowlist: "203.0.113.5" });
    const fromOutside = await fetch(`${base}/v1/authorize`, { headers: { ...gateway(), "X-API-Key": allowlisted.secret, "X-Real-IP": "198.51.100.2" } });
    expect(fromOutside.status).toBe(403);
    const fromInside = await fetch(`${base}/v1/authorize`, {
      headers: { ...gateway(), "X-API-Key": allowlisted.secret, "X-Forwarded-For": "198.51.100.2, 203.0.113.5" },
    });
    expect(fromInside.status).toBe(200);
    let last: Response | null = null;
    for (let i = 0; i < 25; i++) {
      last = await fetch(`${base}/v1/authorize`, { headers: { ...gateway(), "X-API-Key": generateApiKeySecret(), "X-Real-IP": "198.51.100.99" } });
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${base}/v1/authorize`, { headers: { ...gateway(), "X-API-Key": secret, "X-Real-IP": "198.51.100.99" } })).status).toBe(200);
  });

  it("believes nothing without the gateway's root key, and a client's Authorization header is not one", async () => {
    const { secret } = await newKey();
    const bare = await fetch(`${base}/v1/authorize`, { headers: { "X-API-Key": secret } });
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toMatch(/Bearer/);
    const clientBearer = await fetch(`${base}/v1/authorize`, { headers: { "X-API-Key": secret, Authorization: "Bearer some-app-token" } });
    expect(clientBearer.status).toBe(401);
    const bearerRoot = await fetch(`${base}/v1/authorize`, { headers: { "X-API-Key": secret, Authorization: `Bearer ${root}` } });
    expect(bearerRoot.status).toBe(200);
    const badScope = await fetch(`${base}/v1/authorize`, { headers: { ...gateway(), "X-API-Key": secret, "X-Keyward-Required-Scope": "a b" } });
    expect(badScope.status).toBe(400);
    expect(rootId).toBeTruthy();
  });
});

describe("the /v1 key gate in front of Next.js", () => {
  it("verifies before Next.js, answers whoami itself, and replaces any client copy of the sealed hand-off", async () => {
    const { openVerified, sealVerified, VERIFIED_HEADER } = await import("../lib/verify/handoff");
    const nonce = "test-nonce-0123456789";
    const reachedNext: http.IncomingHttpHeaders[] = [];
    const gate = createHotPath({ verifier, nonce });
    const gated = http.createServer(async (req, res) => {
      if (await gate(req, res)) return;
      reachedNext.push(req.headers);
      res.writeHead(204);
      res.end();
    });
    await new Promise<void>((resolve) => gated.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(gated.address() as AddressInfo).port}`;
    try {
      const { key, secret } = await newKey();
      const other = await newKey();
      const forged = sealVerified(nonce, { ...(await (await fetch(`${url}/v1/whoami`, { headers: { "X-API-Key": other.secret } })).json()), id: "forged" }, "api_keys:read");
      const refused = await fetch(`${url}/v1/api-keys`, { headers: { [VERIFIED_HEADER]: forged } });
      expect(refused.status).toBe(401);
      expect(reachedNext).toHaveLength(0);

      const passed = await fetch(`${url}/v1/api-keys`, { headers: { "X-API-Key": secret, [VERIFIED_HEADER]: forged } });
      expect(passed.status).toBe(204);
      const handed = openVerified(String(reachedNext[0][VERIFIED_HEADER]), nonce, "api_keys:read");
      expect(handed?.id).toBe(key.id);

      const me = await fetch(`${url}/v1/whoami`, { headers: { "X-API-Key": secret } });
      expect(await me.json()).toMatchObject({ id: key.id, tenant: { id: t.fx.acme.id, name: "Acme" }, scopes: ["api_keys:read"] });
      const write = await fetch(`${url}/v1/api-keys`, { method: "POST", headers: { "X-API-Key": secret } });
      expect(write.status).toBe(403);
      expect(reachedNext).toHaveLength(1);
      // A path the gate does not know goes to Next.js unverified (its 404 or 405).
      expect((await fetch(`${url}/v1/nothing-here`)).status).toBe(204);
    } finally {
      await new Promise((resolve) => gated.close(resolve));
    }
  });
});
