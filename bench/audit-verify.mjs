#!/usr/bin/env node
// How long "Verify chain" takes on 100,000 events (goal: under 1 s), against the previous
// implementation in the same run. `node --import tsx bench/audit-verify.mjs` (npm run
// bench:audit-verify; by hand, not in CI). SQLite; see bench/README.md.
//
//  1. A fresh database (bench/.data/audit-verify.db): migrations + demo seed, then BENCH_EVENTS
//     keyed events and their signed checkpoints appended to Acme's chain (bench/lib/audit-events.mjs).
//  2. In one child process (bench/lib/audit-sql.ts verify-timed): lib/audit/verify-chain.ts
//     verifyAuditChain and the previous implementation, BENCH_RUNS times each, interleaved; wall
//     time and the process's CPU time of each run. The chain must verify with every event.
import { fmt, log, machine, prepareDatabase, stats, table } from "./lib/common.mjs";
import { insertAuditEvents, runAuditHelper } from "./lib/audit-events.mjs";

const EVENTS = Number(process.env.BENCH_EVENTS || 100_000);
const RUNS = Number(process.env.BENCH_RUNS || 5);
const GOAL_MS = 1000;

const info = machine();
log(`machine: ${info.cpus} cores, ${info.cpuModel}, node ${info.node}`);
const file = prepareDatabase("audit-verify.db");
const inserted = await insertAuditEvents(file, "acme", EVENTS);
log(`${inserted.total} events inserted in ${fmt(inserted.ms / 1000, 1)} s; verifying ${RUNS} times ...`);
const result = runAuditHelper(["verify-timed", file, inserted.tenantId, String(RUNS)]);
if (!result.report.ok || result.report.checked !== inserted.total) throw new Error(`verifyAuditChain says ${JSON.stringify(result.report)}`);
const row = (label, runs) => {
  const wall = stats(runs.map((r) => r.ms));
  const cpu = stats(runs.map((r) => r.cpuMs));
  return [label, `${fmt(wall.p50, 0)} / ${fmt(Math.min(...runs.map((r) => r.ms)), 0)}`, `${fmt(cpu.p50, 0)} / ${fmt(Math.min(...runs.map((r) => r.cpuMs)), 0)}`];
};
const now = stats(result.runs.map((r) => r.ms)).p50;
console.log(
  [
    `# bench:audit-verify — ${info.date}`,
    `machine: ${info.cpus} cores (${info.cpuModel}), node ${info.node}; ${inserted.total} events in one tenant, ${result.report.checkpoints} checkpoints`,
    "",
    table(
      ["implementation", "wall ms: p50 / best", "CPU ms: p50 / best"],
      [row("now: the hash input built by the database, rows by seq in batches of 5000 (SQLite: better-sqlite3 in one read transaction), HMAC-SHA-256", result.runs), row("before: Prisma findMany pages of 1000, SHA-256", result.before)],
    ),
    "",
    `goal: under ${GOAL_MS} ms (p50 wall): ${now < GOAL_MS ? "ok" : "MISSED"}`,
  ].join("\n"),
);
