#!/usr/bin/env node
// bench:audit: the /audit-log page with the demo's events vs 100,000 more in one tenant (goal:
// at most 1.5x slower), and the server's memory while it streams the 100,000-event CSV export
// (goal: it grows by under 50 MB). SQLite, production server, by hand (not in CI).
// `node --import tsx bench/audit.mjs` (npm run bench:audit); BENCH_N requests per cell (30).
import { performance } from "node:perf_hooks";
import { comparePage, cookieHeader, ensureBuild, fmt, log, machine, memoryKiB, prepareDatabase, table } from "./lib/common.mjs";
import { insertAuditEvents } from "./lib/audit-events.mjs";

const N = Number(process.env.BENCH_N || 30);
const PORT = Number(process.env.BENCH_PORT || 3280);
const EVENTS = 100_000;
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const SCENARIOS = [
  ["page 1", ""],
  ["action filter", "action=api_key.rotated"],
  ["date range (7 days)", `from=${day(-7)}&to=${day(0)}`],
];

ensureBuild();
const small = prepareDatabase("audit-small.db");
const large = prepareDatabase("audit-100k.db");
await insertAuditEvents(large, "acme", EVENTS);
// Then the export of every event, with the large server's RSS sampled while it streams.
const { results, more: exported } = await comparePage({ port: PORT, small, large, pathname: "/audit-log", scenarios: SCENARIOS, n: N }, async (servers, jars) => {
  const pid = servers[1].pid;
  const before = memoryKiB(pid).rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, memoryKiB(pid).rss)), 20);
  const started = performance.now();
  const response = await fetch(`${servers[1].base}/audit-log/export`, { headers: { cookie: cookieHeader(jars[1]) } });
  const text = await response.text();
  const ms = performance.now() - started;
  clearInterval(timer);
  if (response.status !== 200) throw new Error(`export: HTTP ${response.status}`);
  return { text, ms, before, peak };
});
const { text, ms, before, peak } = exported;
const rows = results.map(({ name, small: a, large: b }) => [name, fmt(a.p50), fmt(b.p50), fmt(b.p50 / a.p50, 2)]);
const info = machine();
console.log(`# bench:audit ${info.date}, ${info.cpus} cores (${info.cpuModel}), node ${info.node}; ${N} requests per cell\n`);
console.log(table(["scenario", "demo p50 ms", `+${EVENTS} p50 ms`, "ratio (goal <= 1.5)"], rows));
console.log(
  `\nCSV export: ${text.split("\n").length - 2} events, ${fmt(text.length / 1e6)} MB in ${fmt(ms / 1000, 2)} s; ` +
    `server RSS ${fmt(before / 1024, 0)} -> peak ${fmt(peak / 1024, 0)} MB (+${fmt((peak - before) / 1024, 0)} MB, goal < 50)`,
);
log("done");
