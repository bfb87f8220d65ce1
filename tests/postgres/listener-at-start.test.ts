// A dashboard-only instance hears other instances' key changes: the key change listener starts
// with the server (instrumentation.ts), not on the first verification. The instance here serves
// no /v1 request at all (readiness is polled on /api/metrics); another instance (this test
// process, through the domain's revoke) changes a key, and the server's counter of changes heard
// rises. Needs the production build in .next-e2e (npm test builds it before this phase).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/db/prisma";
import { createApiKey, revokeApiKey } from "../../lib/api-keys/mutations";
import { LISTENER_APPLICATION_NAME } from "../../lib/db/key-change-bus";
import { ROOT, adminUrl, seededDatabase } from "./pg";

const DIST_DIR = ".next-e2e";
const PORT = 3321;
const BASE = `http://127.0.0.1:${PORT}`;
const METRICS_TOKEN = "listener-at-start-metrics-token-0123456789";

async function waitUntil<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function changesHeard(): Promise<number | null> {
  const response = await fetch(`${BASE}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!response.ok) return null;
  const metrics = (await response.json()) as Record<string, number>;
  return metrics.key_changes_heard_total ?? 0;
}

describe("a dashboard-only instance on PostgreSQL", () => {
  let db: Db;
  let url: string;
  let server: ChildProcess | null = null;
  let log = "";
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    expect(existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID")), `no production build in ${DIST_DIR}`).toBe(true);
    ({ url, db } = await seededDatabase("listener_start"));
    server = spawn(process.execPath, [path.join(ROOT, "scripts", "server.mjs")], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(PORT),
        KEYWARD_DIST_DIR: DIST_DIR,
        DATABASE_URL: url,
        NEXTAUTH_URL: `http://localhost:${PORT}`,
        KEYWARD_METRICS_TOKEN: METRICS_TOKEN,
      },
    });
    server.stdout?.on("data", (chunk) => (log += chunk));
    server.stderr?.on("data", (chunk) => (log += chunk));
    await waitUntil("the server", async () => (server?.exitCode === null ? changesHeard() : Promise.reject(new Error(log))), 120_000);
    // This process is the other instance: its revoke publishes on the same database.
    process.env.DATABASE_URL = url;
  }, 180_000);

  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    server?.kill("SIGTERM");
    await db?.$disconnect();
  });

  it("listens from the start and hears a revoke made by another instance, without having verified a key", async () => {
    // The listener's own connection, on this test's database, before any /v1 request.
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      const database = new URL(url).pathname.slice(1);
      await waitUntil(
        "the listener's connection",
        async () => {
          const { rows } = await admin.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND datname = $2", [LISTENER_APPLICATION_NAME, database]);
          return rows.length > 0 ? true : null;
        },
        15_000,
      );
    } finally {
      await admin.end();
    }
    const before = await changesHeard();
    expect(before).toBe(0);

    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug: "acme" } });
    const group = await db.authorizationGroup.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Full access" } });
    const user = await db.user.findUniqueOrThrow({ where: { email: "admin@acme.test" } });
    const ctx = { tenantId: tenant.id, actor: { type: "user" as const, userId: user.id, label: user.email }, requestId: "req_listener_at_start" };
    const created = await createApiKey(db, ctx, { name: "Heard elsewhere", groupId: group.id });
    if (!created.ok) throw new Error(created.error.message);
    expect((await revokeApiKey(db, ctx, created.value.key.id)).ok).toBe(true);

    const heard = await waitUntil("the change to be heard", async () => {
      const count = await changesHeard();
      return count !== null && count > (before ?? 0) ? count : null;
    }, 5_000);
    expect(heard).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
