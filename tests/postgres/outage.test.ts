// Faults of issue 11 on a PostgreSQL server of the test's own (own-cluster.ts), with two
// "instances" (two Prisma clients with their own pools, as two processes would have):
// - backends of open transactions terminated, then the server stopped for 2 s, in the middle of
//   a burst of writes: every instance serves again within 5 s of the database's return;
// - the dashboard with the database down: a "database unavailable" page, 503 with Retry-After
//   (scripts/database-gate.mjs, in front of Next.js in scripts/server.mjs), not a 500;
// - the listening connection hung (its backend paused with SIGSTOP): an instance stops serving
//   a key revoked elsewhere within 2 s, instead of until its cache's TTL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "../../lib/db/prisma";
import { seedDemoData } from "../../lib/db/seed";
import { createApiKey } from "../../lib/api-keys/mutations";
import { clearKeyCache } from "../../lib/api-keys/key-cache";
import { resetAuthFailures } from "../../lib/verify/rate-limit";
import { createKeyLookup } from "../../lib/verify/lookup";
import { verify, type Verifier } from "../../lib/verify/verify";
import { snapshot } from "../../lib/metrics";
import { KEY_CHANGE_CHANNEL, LISTENER_APPLICATION_NAME, cacheTrustworthy, ensureKeyChangeListener } from "../../lib/db/key-change-bus";
import { freshDatabase } from "../../scripts/postgres.mjs";
import { createDatabaseGate } from "../../scripts/database-gate.mjs";
import { prismaCli } from "./pg";
import { startOwnCluster, type OwnCluster } from "./own-cluster";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(condition: () => boolean | Promise<boolean>, ms: number) {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await condition()) return true;
    await sleep(20);
  }
  return false;
}

describe("PostgreSQL outages", () => {
  let cluster: OwnCluster;
  let url: string;
  const instances: Db[] = [];
  // Each instance's verification runs on its own driver lookup (lib/verify), as a process's would.
  const verifiers = new Map<Db, Verifier>();
  const verifyApiKey = (db: Db, secret: string, options: { clientIp: string }) => verify(verifiers.get(db)!, secret, options);
  let ctx: { tenantId: string; actor: { type: "user"; userId: string; label: string }; requestId: string };
  let groupId: string;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    cluster = await startOwnCluster();
    url = await freshDatabase(cluster.adminUrl, "keyward_outage");
    const migrated = prismaCli(["migrate", "deploy"], url);
    if (migrated.status !== 0) throw new Error(migrated.output);
    // lib/ picks PostgreSQL-only steps (pg_notify, the listener) from DATABASE_URL, as the app does.
    process.env.DATABASE_URL = url;
    Object.assign(process.env, { KEYWARD_DB_POOL_SIZE: "3", KEYWARD_DB_CONNECT_TIMEOUT_MS: "1000" });
    instances.push(createPrismaClient(url), createPrismaClient(url));
    for (const db of instances) verifiers.set(db, { lookup: createKeyLookup(url) });
    delete process.env.KEYWARD_DB_POOL_SIZE;
    delete process.env.KEYWARD_DB_CONNECT_TIMEOUT_MS;
    await seedDemoData(instances[0]);
    const acme = await instances[0].tenant.findUniqueOrThrow({ where: { slug: "acme" } });
    await instances[0].tenant.update({ where: { id: acme.id }, data: { keyLimit: 100_000 } });
    groupId = (await instances[0].authorizationGroup.findFirstOrThrow({ where: { tenantId: acme.id, name: "Full access" } })).id;
    const admin = await instances[0].user.findUniqueOrThrow({ where: { email: "admin@acme.test" } });
    ctx = { tenantId: acme.id, actor: { type: "user", userId: admin.id, label: admin.email }, requestId: "req_outage" };
  }, 180_000);

  afterAll(async () => {
    // The server goes first: a pool that leaked connections (the bug this file guards against)
    // would otherwise wait for them forever and leave the server running.
    cluster?.destroy();
    for (const db of instances) await Promise.race([db.$disconnect().catch(() => {}), sleep(2_000)]);
    for (const verifier of verifiers.values()) await Promise.race([verifier.lookup.close().catch(() => {}), sleep(2_000)]);
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
  });

  it("terminated transactions and a 2 s stop in a write burst: every instance serves again within 5 s, acknowledged writes kept", async () => {
    const acknowledged: string[] = [];
    // Writes each instance saw fail since the server stopped (null: not stopped yet).
    const failedSinceStop: (number | null)[] = instances.map(() => null);
    let bursting = true;
    const burst = instances.map(async (db, i) => {
      while (bursting) {
        try {
          const created = await createApiKey(db, ctx, { name: `burst ${Date.now()}`, groupId });
          if (created.ok) acknowledged.push(created.value.key.id);
        } catch {
          if (failedSinceStop[i] !== null) failedSinceStop[i]!++;
          await sleep(10); // the outage: keep trying, without spinning
        }
      }
    });
    /** Resolves once the burst has acknowledged another write (it works, or works again). */
    const burstWrites = async () => {
      const seen = acknowledged.length;
      expect(await waitFor(() => acknowledged.length > seen, 15_000), "the burst writes").toBe(true);
    };
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const openTransactions = async () =>
      Number(
        (
          await admin.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL",
          )
        ).rows[0].n,
      );
    for (let i = 0; i < 3; i++) {
      // Each time the burst writes again (it recovered from the last termination) and a
      // transaction is open, so that there is one to terminate.
      await burstWrites();
      expect(await waitFor(async () => (await openTransactions()) > 0, 15_000), "an open transaction to terminate").toBe(true);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    }
    await admin.end().catch(() => {});
    await burstWrites();
    cluster.stop();
    const stopped = Date.now();
    failedSinceStop.fill(0);
    // The stop lasts 2 s (the scenario: longer than the pool's 1 s connect timeout) and until
    // every instance has had a write fail against it.
    expect(
      await waitFor(() => failedSinceStop.every((n) => n! > 0) && Date.now() - stopped >= 2_000, 15_000),
      "every instance met the outage",
    ).toBe(true);
    cluster.start();
    const returned = Date.now();

    // Each instance: three transactions at once (a full pool), a create and an uncached verification.
    const recovery = await Promise.all(
      instances.map(async (db) => {
        const served = await waitFor(async () => {
          try {
            await Promise.all([1, 2, 3].map(() => db.$transaction(async (tx) => tx.$queryRaw`SELECT 1`, { maxWait: 1_000 })));
            const created = await createApiKey(db, ctx, { name: `after the outage ${Date.now()}`, groupId });
            if (!created.ok) return false;
            clearKeyCache();
            resetAuthFailures();
            return (await verifyApiKey(db, created.value.secret, { clientIp: "127.0.0.1" })).ok;
          } catch {
            return false;
          }
        }, 10_000);
        return served ? Date.now() - returned : Infinity;
      }),
    );
    bursting = false;
    await Promise.all(burst);
    console.log(`outage recovery after the database's return: ${recovery.map((ms) => `${ms} ms`).join(", ")}`);
    for (const ms of recovery) expect(ms).toBeLessThan(5_000);
    expect(acknowledged.length).toBeGreaterThan(0);
    const stored = await instances[0].apiKey.count({ where: { id: { in: acknowledged } } });
    expect(stored).toBe(acknowledged.length);
  }, 120_000);

  it("a paused listener backend (SIGSTOP): a key revoked elsewhere stops working here within 2 s", async () => {
    const [db] = instances;
    void ensureKeyChangeListener();
    expect(await waitFor(() => cacheTrustworthy(), 15_000)).toBe(true);
    const created = await createApiKey(db, ctx, { name: "paused listener", groupId });
    if (!created.ok) throw new Error(created.error.message);
    const { secret, key } = created.value;
    const verify = () => verifyApiKey(db, secret, { clientIp: "127.0.0.1" });
    expect((await verify()).ok).toBe(true);
    const hits = snapshot().verify_cache_hits_total ?? 0;
    expect((await verify()).ok).toBe(true);
    expect(snapshot().verify_cache_hits_total).toBe(hits + 1); // served from this instance's cache

    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const { rows } = await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
      [LISTENER_APPLICATION_NAME],
    );
    expect(rows).toHaveLength(1);
    const pid = rows[0].pid;
    process.kill(pid, "SIGSTOP");
    try {
      // Another instance revokes: the row and the notification commit together.
      await admin.query("BEGIN");
      await admin.query(`UPDATE "ApiKey" SET "status" = 'revoked', "revokedAt" = now(), "version" = "version" + 1 WHERE "id" = $1`, [key.id]);
      await admin.query("SELECT pg_notify($1, $2)", [KEY_CHANGE_CHANNEL, JSON.stringify({ keyId: key.id, tenantId: ctx.tenantId })]);
      await admin.query("COMMIT");
      const revokedAt = Date.now();
      let stale = 0;
      while ((await verify()).ok && Date.now() - revokedAt < 10_000) {
        stale++;
        await sleep(20);
      }
      const staleMs = Date.now() - revokedAt;
      console.log(`paused listener: stale answers for ${staleMs} ms (${stale} requests) after the revoke`);
      expect(staleMs).toBeLessThan(2_000);
    } finally {
      process.kill(pid, "SIGCONT");
    }

    // The instance listens again (a new connection) and serves from its cache, with revocations heard.
    expect(await waitFor(() => cacheTrustworthy(), 20_000)).toBe(true);
    const second = await createApiKey(db, ctx, { name: "after the pause", groupId });
    if (!second.ok) throw new Error(second.error.message);
    const verifySecond = () => verifyApiKey(db, second.value.secret, { clientIp: "127.0.0.1" });
    expect((await verifySecond()).ok).toBe(true);
    expect((await verifySecond()).ok).toBe(true);
    await admin.query("BEGIN");
    await admin.query(`UPDATE "ApiKey" SET "status" = 'revoked', "revokedAt" = now() WHERE "id" = $1`, [second.value.key.id]);
    await admin.query("SELECT pg_notify($1, $2)", [KEY_CHANGE_CHANNEL, JSON.stringify({ keyId: second.value.key.id, tenantId: ctx.tenantId })]);
    await admin.query("COMMIT");
    expect(await waitFor(async () => !(await verifySecond()).ok, 1_000)).toBe(true);
    await admin.end();
  }, 120_000);
  it("with the database down, dashboard pages answer 503 'database unavailable' with Retry-After; the API and assets pass", async () => {
    const gate = createDatabaseGate(url)!;
    const server = http.createServer(async (req, res) => {
      if (await gate.refuse(req, res)) return;
      res.writeHead(200, { "Content-Type": "text/plain" }).end("rendered by Next.js");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/tenant-api-keys`)).status).toBe(200);
      cluster.stop();
      const page = await fetch(`${base}/tenant-api-keys?status=active`);
      expect(page.status).toBe(503);
      expect(page.headers.get("retry-after")).toBe("5");
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await page.text()).toContain("The database is unavailable");
      // Not pages: the API answers its own errors, assets need no database.
      for (const path of ["/v1/health", "/_next/static/chunks/app.js", "/icon.svg"]) expect((await fetch(`${base}${path}`)).status).toBe(200);
      cluster.start();
      const back = Date.now();
      expect(await waitFor(async () => (await fetch(`${base}/tenant-api-keys`)).status === 200, 5_000)).toBe(true);
      console.log(`dashboard pages served again ${Date.now() - back} ms after the database's return`);
    } finally {
      server.close();
      await gate.close();
    }
  }, 60_000);
});
