// `npm run verifier` as its own process beside the "dashboard" (this test process, which writes
// through the domain functions): a revoke made here is honoured by the verifier on SQLite (same
// file) on the next request, even though it had the key cached, and on PostgreSQL (the
// PostgreSQL phase) within 1 s through LISTEN/NOTIFY. Ports 3180-3189.
import http from "node:http";
import { spawnSync } from "node:child_process";
import { lstatSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededDb, TEST_PROVIDER, userContext, type SeededDb } from "./db";
import { createApiKey, revokeApiKey } from "../lib/api-keys/mutations";
import { createTestRootKey } from "./helpers/hot-path-server";
import { startVerifier, type VerifierProcess } from "./helpers/verifier-process";

let t: SeededDb;
let verifier: VerifierProcess;
let root: string;

beforeAll(async () => {
  t = await seededDb("verifier");
  root = (await createTestRootKey(t, "Verifier test")).secret;
  verifier = await startVerifier(t.url, 3180 + Math.floor(Math.random() * 10));
}, 60_000);
afterAll(async () => {
  await verifier?.stop();
  await t?.close();
});

const check = async (key: string) => {
  const response = await fetch(`${verifier.url}/v1/keys/verify`, {
    method: "POST",
    headers: { Authorization: `Bearer ${root}`, "Content-Type": "application/json" },
    body: JSON.stringify({ key }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { valid: boolean; code: string };
};

describe("the standalone verifier", () => {
  it("serves verification only: whoami and health, no dashboard", async () => {
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const created = await createApiKey(t.db, ctx, { name: "Verifier whoami", groupId: t.fx.groups.acmeReadOnly.id });
    if (!created.ok) throw new Error(created.error.message);
    const me = await fetch(`${verifier.url}/v1/whoami`, { headers: { "X-API-Key": created.value.secret } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: created.value.key.id, tenant: { id: t.fx.acme.id } });
    expect((await fetch(`${verifier.url}/v1/health`)).status).toBe(200);
    const dashboard = await fetch(`${verifier.url}/tenant-api-keys`);
    expect(dashboard.status).toBe(404);
    expect((await dashboard.json()).error.code).toBe("not_found");
  });

  it("honours a revoke made by another process", async () => {
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const created = await createApiKey(t.db, ctx, { name: "Revoked elsewhere", groupId: t.fx.groups.acmeReadOnly.id });
    if (!created.ok) throw new Error(created.error.message);
    const { secret, key } = created.value;
    expect(await check(secret)).toMatchObject({ valid: true, code: "VALID" });
    expect(await check(secret)).toMatchObject({ valid: true }); // now cached in the verifier
    expect((await revokeApiKey(t.db, ctx, key.id)).ok).toBe(true);
    const revokedAt = Date.now();
    if (TEST_PROVIDER === "sqlite") {
      // The very next request, no waiting: PRAGMA data_version saw the commit.
      expect(await check(secret)).toMatchObject({ valid: false, code: "REVOKED" });
      return;
    }
    // PostgreSQL: the notification reaches the verifier's listener within a second.
    let result = await check(secret);
    while (result.valid && Date.now() - revokedAt < 1_000) result = await check(secret);
    expect(result).toMatchObject({ valid: false, code: "REVOKED" });
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });

  it("SIGTERM writes the request log's buffered entries before exiting (SQLite: through its worker thread)", async () => {
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const created = await createApiKey(t.db, ctx, { name: "Logged at shutdown", groupId: t.fx.groups.acmeReadOnly.id });
    if (!created.ok) throw new Error(created.error.message);
    // No timed flush before the SIGTERM: whatever is written, the shutdown wrote.
    const logging = await startVerifier(t.url, verifier.port + 20, { KEYWARD_REQUEST_LOG_FLUSH_MS: "600000" });
    try {
      for (let i = 0; i < 5; i++) {
        const me = await fetch(`${logging.url}/v1/whoami`, { headers: { "X-API-Key": created.value.secret } });
        expect(me.status).toBe(200);
      }
      expect(await t.db.requestLog.count({ where: { keyId: created.value.key.id } })).toBe(0);
    } finally {
      await logging.stop();
    }
    expect(logging.child.exitCode).toBe(0);
    expect(await t.db.requestLog.count({ where: { keyId: created.value.key.id, outcome: "VALID", source: "whoami" } })).toBe(5);
  });

  it("serves a gateway on a Unix socket (KEYWARD_VERIFIER_SOCKET), replacing a dead verifier's socket file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "keyward-socket-"));
    const file = path.join(dir, "verifier.sock");
    // A socket file nobody listens on, as a killed verifier leaves it (a clean close removes it).
    const killed = spawnSync(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(file)}, () => process.kill(process.pid, "SIGKILL"))`]);
    expect(killed.signal).toBe("SIGKILL");
    expect(lstatSync(file).isSocket()).toBe(true);
    // With a socket the verifier binds no port: the one given is not used.
    const onSocket = await startVerifier(t.url, verifier.port, { KEYWARD_VERIFIER_SOCKET: file });
    try {
      expect(onSocket.output()).toContain(`ready on unix:${file}`);
      expect(lstatSync(file).mode & 0o777).toBe(0o660);
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.get({ socketPath: file, path: "/v1/authorize", headers: { "X-Keyward-Root-Key": root, "X-API-Key": "kw_bad" } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on("error", reject);
      });
      expect(status).toBe(401);
    } finally {
      await onSocket.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
