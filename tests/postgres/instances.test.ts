// Two Keyward instances on one PostgreSQL database, as behind a load balancer: a revoke or a
// rotate through instance A is honoured by instance B within one second, even though B had
// the key cached with a 60 s TTL (so it is LISTEN/NOTIFY that does it, not the TTL). That B
// answered from its cache is read from its counters (/api/metrics): an instance whose listener
// is down does not trust its cache and looks every key up, which would also pass; last-used
// batching from both instances adds up. Needs the production build in .next-e2e (npm test
// builds it before this phase).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/db/prisma";
import { createApiKey } from "../../lib/api-keys/mutations";
import { ROOT, seededDatabase } from "./pg";

const DIST_DIR = ".next-e2e";
const PORTS = [3311, 3312];
const METRICS_TOKEN = "instances-test-metrics-token";

async function waitForServer(base: string, child: ChildProcess, log: () => string) {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log()}`);
    try {
      if ((await fetch(`${base}/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server at ${base} did not start:\n${log()}`);
}

describe("two instances on one PostgreSQL", () => {
  let db: Db;
  let tenantId: string;
  let groupId: string;
  let userId: string;
  const servers: ChildProcess[] = [];
  const [A, B] = PORTS.map((port) => `http://127.0.0.1:${port}`);

  const newKey = async (name: string) => {
    const result = await createApiKey(db, { tenantId, actor: { type: "user", userId, label: "instances-test" }, requestId: "req_instances_test" }, { name, groupId });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.value;
  };
  const whoami = (base: string, secret: string) => fetch(`${base}/v1/whoami`, { headers: { "X-API-Key": secret } });
  const cacheHits = async (base: string) => {
    const response = await fetch(`${base}/api/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as Record<string, number>).verify_cache_hits_total ?? 0;
  };
  /** The status B answers for the secret, and whether B answered it from its cache. */
  const onB = async (secret: string) => {
    const before = await cacheHits(B);
    const { status } = await whoami(B, secret);
    return { status, fromCache: (await cacheHits(B)) - before === 1 };
  };

  /** Milliseconds until `base` answers `status` for the secret (polling every 25 ms, at most 5 s). */
  async function msUntilStatus(base: string, secret: string, status: number): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < 5_000) {
      if ((await whoami(base, secret)).status === status) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return Infinity;
  }

  beforeAll(async () => {
    expect(existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID")), `no production build in ${DIST_DIR}`).toBe(true);
    const seeded = await seededDatabase("instances");
    db = seeded.db;
    const acme = await db.tenant.findUniqueOrThrow({ where: { slug: "acme" } });
    tenantId = acme.id;
    groupId = (await db.authorizationGroup.findFirstOrThrow({ where: { tenantId, name: "Full access" } })).id;
    userId = (await db.user.findUniqueOrThrow({ where: { email: "admin@acme.test" } })).id;
    for (const port of PORTS) {
      let log = "";
      const child = spawn(process.execPath, [path.join(ROOT, "scripts", "server.mjs")], {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: String(port),
          KEYWARD_DIST_DIR: DIST_DIR,
          DATABASE_URL: seeded.url,
          NEXTAUTH_URL: `http://localhost:${port}`,
          KEYWARD_KEY_CACHE_TTL_MS: "60000",
          KEYWARD_USAGE_FLUSH_MS: "500",
          KEYWARD_METRICS_TOKEN: METRICS_TOKEN,
        },
      });
      child.stdout?.on("data", (chunk) => (log += chunk));
      child.stderr?.on("data", (chunk) => (log += chunk));
      servers.push(child);
      await waitForServer(`http://127.0.0.1:${port}`, child, () => log);
    }
  }, 180_000);

  afterAll(async () => {
    for (const server of servers) server.kill("SIGTERM");
    await db?.$disconnect();
  });

  it("a revoke through A is refused by B within one second", async () => {
    // B trusts its cache only once its listener is connected (lib/db/key-change-bus.ts): wait
    // for that, on a key of its own, rather than for a while.
    const warm = await newKey("instances warm-up");
    await expect.poll(async () => (await onB(warm.secret)).fromCache, { timeout: 30_000 }).toBe(true);
    const admin = await newKey("instances admin");
    const victim = await newKey("instances revoked");
    expect(await onB(victim.secret)).toEqual({ status: 200, fromCache: false });
    expect(await onB(victim.secret)).toEqual({ status: 200, fromCache: true });
    const revoked = await fetch(`${A}/v1/api-keys/${victim.key.id}`, { method: "DELETE", headers: { "X-API-Key": admin.secret } });
    expect(revoked.status).toBe(200);
    // B answered from its cache a moment ago and its TTL is 60 s: only the notification can
    // have dropped that entry.
    expect(await msUntilStatus(B, victim.secret, 401)).toBeLessThan(1_000);
    expect((await whoami(A, victim.secret)).status).toBe(401);
  }, 60_000);

  it("a rotate through A retires the old secret on B within one second, and B accepts the new one", async () => {
    const admin = await newKey("instances admin 2");
    const rotating = await newKey("instances rotated");
    expect((await whoami(B, rotating.secret)).status).toBe(200);
    expect(await onB(rotating.secret)).toEqual({ status: 200, fromCache: true });
    const response = await fetch(`${A}/v1/api-keys/${rotating.key.id}/rotate`, { method: "POST", headers: { "X-API-Key": admin.secret } });
    expect(response.status).toBe(200);
    const { secret } = (await response.json()) as { secret: string };
    expect(await msUntilStatus(B, rotating.secret, 401)).toBeLessThan(1_000);
    expect((await whoami(B, secret)).status).toBe(200);
  }, 60_000);

  it("last used and daily counts add up across instances", async () => {
    const used = await newKey("instances usage");
    for (let i = 0; i < 3; i++) expect((await whoami(A, used.secret)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await whoami(B, used.secret)).status).toBe(200);
    const before = Date.now();
    let usage = null;
    while (Date.now() - before < 10_000) {
      usage = await db.apiKeyUsageDaily.findMany({ where: { keyId: used.key.id } });
      if (usage.reduce((sum, row) => sum + row.successCount, 0) === 5) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(usage?.reduce((sum, row) => sum + row.successCount, 0)).toBe(5);
    const key = await db.apiKey.findUniqueOrThrow({ where: { id: used.key.id } });
    expect(key.lastUsedAt).not.toBeNull();
  }, 60_000);
});
