// The tenant key limit holds when several processes create keys on one SQLite file at the same
// moment (as several `next start` workers, or the app plus a script, would). Each worker is a
// separate Node process with its own Prisma client, i.e. its own SQLite connection
// (tests/concurrent-create-worker.ts).
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, seededDb, type SeededDb } from "../../tests/db";
import { countingKeysWhere } from "./where";

const WORKERS = 3;
const CALLS_PER_WORKER = 10;
const ROUNDS = 3;
const WORKER = path.join(ROOT, "tests", "concurrent-create-worker.ts");

type Outcome = { ok: true } | { ok: false; code: string; message: string } | { thrown: string };
type Report = { label: string; elapsedMs: number; results: Outcome[] };
type Worker = { ready: Promise<void>; done: Promise<Report>; go: () => void };

function startWorker(t: SeededDb, label: string): Worker {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      WORKER,
      t.fx.acme.id,
      t.fx.groups.acmeFull.id,
      t.fx.users.admin.id,
      String(CALLS_PER_WORKER),
      label,
    ],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: t.url }, stdio: ["pipe", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    if (stdout.startsWith("ready\n")) markReady();
  });
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<Report>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith("result "))?.slice("result ".length);
      if (code !== 0 || !line) {
        reject(new Error(`worker ${label} exited with ${code}\nstdout: ${stdout}\nstderr: ${stderr}`));
        return;
      }
      resolve(JSON.parse(line));
    });
  });
  // A worker that dies before "ready" must fail the test, not hang it.
  const readyOrDead = Promise.race([ready, done.then(() => undefined)]);
  return {
    ready: readyOrDead,
    done,
    go: () => child.stdin.end("go\n"),
  };
}

describe("tenant key limit under concurrent creates from several processes", () => {
  let t: SeededDb;
  beforeAll(async () => {
    t = await seededDb("keyward-concurrency");
  });
  afterAll(async () => {
    await t?.close();
  });

  const countingKeys = () => t.db.apiKey.count({ where: countingKeysWhere(t.fx.acme.id, new Date()) });

  it.each(Array.from({ length: ROUNDS }, (_, i) => [i + 1]))(
    `round %i: ${WORKERS} processes x ${CALLS_PER_WORKER} creates for the last free place: exactly one wins`,
    async (round) => {
      const counting = await countingKeys();
      const limit = counting + 1;
      await t.db.tenant.update({ where: { id: t.fx.acme.id }, data: { keyLimit: limit } });
      const auditBefore = await t.db.auditEvent.count({ where: { tenantId: t.fx.acme.id } });

      const workers = Array.from({ length: WORKERS }, (_, i) => startWorker(t, `r${round}w${i + 1}`));
      await Promise.all(workers.map((w) => w.ready));
      const started = Date.now();
      for (const w of workers) w.go();
      const reports = await Promise.all(workers.map((w) => w.done));
      const seconds = (Date.now() - started) / 1000;
      const outcomes = reports.flatMap((r) => r.results);
      console.info(
        `round ${round}: ${outcomes.length} creates in ${seconds.toFixed(1)} s (per worker: ${reports.map((r) => `${r.elapsedMs} ms`).join(", ")})`,
      );

      expect(outcomes).toHaveLength(WORKERS * CALLS_PER_WORKER);
      // No call may blow up (SQLITE_BUSY, a transaction timeout, "internal"): each one either
      // creates the key or is refused with the limit message.
      expect(outcomes.filter((o) => "thrown" in o)).toEqual([]);
      const winners = outcomes.filter((o) => "ok" in o && o.ok);
      const refused = outcomes.filter((o) => "ok" in o && !o.ok);
      expect(winners).toHaveLength(1);
      expect(refused).toHaveLength(WORKERS * CALLS_PER_WORKER - 1);
      for (const o of refused) {
        expect(o).toEqual({
          ok: false,
          code: "limit_reached",
          message: `Key limit reached: ${limit}/${limit} keys. Revoke a key or ask support to raise the limit.`,
        });
      }

      expect(await countingKeys()).toBe(limit);
      // One key created, one audit event, and the tenant's chain did not fork.
      const events = await t.db.auditEvent.findMany({ where: { tenantId: t.fx.acme.id }, orderBy: { seq: "asc" } });
      expect(events).toHaveLength(auditBefore + 1);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      for (let i = 1; i < events.length; i++) expect(events[i].prevHash).toBe(events[i - 1].hash);
    },
    // Starting the worker processes (tsx, Prisma) takes a few seconds, far more on a busy machine.
    120_000,
  );
});
