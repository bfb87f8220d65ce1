#!/usr/bin/env node
// How long "Verify chain" takes on 100,000 events (goal: under 1 s). `npm run bench:audit-verify`
// (node --import tsx --conditions react-server; by hand, not in CI). SQLite; see bench/README.md.
//
//  1. A fresh database (bench/.data/audit-verify.db): migrations + demo seed, then BENCH_EVENTS
//     keyed events and their signed checkpoints appended to Acme's chain (bench/lib/audit-events.mjs).
//  2. lib/audit/verify-chain.ts verifyAuditChain, BENCH_RUNS times, in this process: wall time and
//     this process's CPU time of each run. The chain must verify with every event.
import { SECRETS, fmt, log, machine, prepareDatabase, stats, table } from "./lib/common.mjs";
import { insertAuditEvents } from "./lib/audit-events.mjs";

const EVENTS = Number(process.env.BENCH_EVENTS || 100_000);
const RUNS = Number(process.env.BENCH_RUNS || 5);
const GOAL_MS = 1000;

Object.assign(process.env, SECRETS);
const { verifyAuditChain } = await import("../lib/audit/verify-chain.ts");
const { createPrismaClient } = await import("../lib/db/prisma.ts");

const info = machine();
log(`machine: ${info.cpus} cores, ${info.cpuModel}, node ${info.node}`);
const file = prepareDatabase("audit-verify.db");
const inserted = await insertAuditEvents(file, "acme", EVENTS);
log(`${inserted.total} events inserted in ${fmt(inserted.ms / 1000, 1)} s; verifying ${RUNS} times ...`);
const db = createPrismaClient(`file:${file}`);
const runs = [];
let report = null;
try {
  for (let i = 0; i < RUNS; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    report = await verifyAuditChain(db, inserted.tenantId);
    const used = process.cpuUsage(cpu);
    runs.push({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 });
  }
} finally {
  await db.$disconnect();
}
if (!report.ok || report.checked !== inserted.total) throw new Error(`verifyAuditChain says ${JSON.stringify(report)}`);
const wall = stats(runs.map((r) => r.ms));
const cpu = stats(runs.map((r) => r.cpuMs));
console.log(
  [
    `# bench:audit-verify — ${info.date}`,
    `machine: ${info.cpus} cores (${info.cpuModel}), node ${info.node}; ${inserted.total} events in one tenant, ${report.checkpoints} checkpoints`,
    "",
    table(["wall ms: p50 / best", "CPU ms: p50 / best"], [[`${fmt(wall.p50, 0)} / ${fmt(wall.min, 0)}`, `${fmt(cpu.p50, 0)} / ${fmt(cpu.min, 0)}`]]),
    "",
    `goal: under ${GOAL_MS} ms (p50 wall): ${wall.p50 < GOAL_MS ? "ok" : "MISSED"}`,
  ].join("\n"),
);
