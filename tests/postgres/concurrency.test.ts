// The tenant key limit on PostgreSQL: 100 rounds of 20 simultaneous creates from two processes
// at a tenant one below its limit. Every round: exactly one key, the rest refused with
// limit_reached, nothing thrown (which would be an error 500), and the count equal to the limit.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/db/prisma";
import { countingKeysWhere } from "../../lib/api-keys/where";
import { ROOT, seededDatabase } from "./pg";

const ROUNDS = 100;
const WORKERS = 2;
const CALLS = 10;

type Outcome = { ok: true } | { ok: false; code: string } | { thrown: string };
type Worker = { child: ChildProcessWithoutNullStreams; next: () => Promise<string> };

function startWorker(url: string, args: string[]): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "postgres", "create-worker.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on("line", (raw) => {
    // Only the worker's own lines: the app it runs logs to stdout too (audit checkpoints).
    if (raw !== "ready" && !raw.startsWith("result ")) return;
    const line = raw.startsWith("result ") ? raw.slice("result ".length) : raw;
    const resolve = waiting.shift();
    if (resolve) resolve(line);
    else queue.push(line);
  });
  child.on("close", (code) => {
    for (const resolve of waiting.splice(0)) resolve(JSON.stringify({ died: code, stderr }));
  });
  return {
    child,
    next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise<string>((resolve) => waiting.push(resolve))),
  };
}

describe("tenant key limit on PostgreSQL", () => {
  let db: Db;
  let tenantId: string;
  const workers: Worker[] = [];

  beforeAll(async () => {
    const seeded = await seededDatabase("limit");
    db = seeded.db;
    const acme = await db.tenant.findUniqueOrThrow({ where: { slug: "acme" } });
    tenantId = acme.id;
    const group = await db.authorizationGroup.findFirstOrThrow({ where: { tenantId, name: "Full access" } });
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@acme.test" } });
    for (let i = 0; i < WORKERS; i++) {
      workers.push(startWorker(seeded.url, [tenantId, group.id, admin.id, String(CALLS), `w${i}`]));
    }
    for (const worker of workers) expect(await worker.next()).toBe("ready");
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) worker.child.stdin.end();
    await db?.$disconnect();
  });

  it(`never overshoots in ${ROUNDS} rounds of ${WORKERS * CALLS} concurrent creates`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const counting = await db.apiKey.count({ where: countingKeysWhere(tenantId, new Date()) });
      await db.tenant.update({ where: { id: tenantId }, data: { keyLimit: counting + 1 } });
      for (const worker of workers) worker.child.stdin.write(`go ${round}\n`);
      const reports = await Promise.all(workers.map(async (w) => JSON.parse(await w.next())));
      const outcomes: Outcome[] = reports.flatMap((r) => {
        if (!r.results) throw new Error(`worker died: ${JSON.stringify(r)}`);
        return r.results;
      });
      const thrown = outcomes.filter((o) => "thrown" in o);
      expect(thrown, `round ${round}`).toEqual([]);
      expect(outcomes.filter((o) => "ok" in o && o.ok).length, `round ${round}`).toBe(1);
      expect(outcomes.filter((o) => "code" in o && o.code === "limit_reached").length, `round ${round}`).toBe(WORKERS * CALLS - 1);
      expect(await db.apiKey.count({ where: countingKeysWhere(tenantId, new Date()) }), `round ${round}`).toBe(counting + 1);
    }
  }, 600_000);
});
