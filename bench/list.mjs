#!/usr/bin/env node
// bench:list: the /tenant-api-keys page with the demo's keys vs 10,000 more in one tenant
// (goal: at most 1.5x slower), and the page's first-load JavaScript. SQLite, production server,
// by hand (not in CI). `npm run bench:list`; BENCH_N timed requests per cell (default 30).
import { spawnSync } from "node:child_process";
import { DIST_DIR, ROOT, comparePage, ensureBuild, fmt, log, machine, prepareDatabase, table } from "./lib/common.mjs";
import { insertKeys } from "./lib/keys.mjs";

const N = Number(process.env.BENCH_N || 30);
const PORT = Number(process.env.BENCH_PORT || 3270);
const KEYS = 10_000;
const SCENARIOS = [
  ["page 1", ""],
  ["grouped: environment", "groupBy=environment"], ["grouped: service account", "groupBy=serviceAccount"],
  ["filtered", "status=active&expiry=expiring_soon&q=sync&sort=last_used"],
  ["search q=sync", "q=sync"],
  ["last page", `page=${KEYS / 20}`],
];

ensureBuild();
const small = prepareDatabase("list-small.db");
const large = prepareDatabase("list-10k.db");
await insertKeys(large, "acme", KEYS);
const { results } = await comparePage({ port: PORT, small, large, pathname: "/tenant-api-keys", scenarios: SCENARIOS, n: N });
const rows = results.map(({ name, small: a, large: b }) => [name, fmt(a.p50), fmt(a.p95), fmt(b.p50), fmt(b.p95), fmt(b.p50 / a.p50, 2)]);
const info = machine();
console.log(`# bench:list ${info.date}, ${info.cpus} cores (${info.cpuModel}), node ${info.node}; ${N} requests per cell\n`);
console.log(table(["scenario", "demo p50 ms", "demo p95", `+${KEYS} p50 ms`, "p95", "ratio (goal <= 1.5)"], rows));
const js = spawnSync(process.execPath, ["bench/first-load-js.mjs", DIST_DIR], { cwd: ROOT, encoding: "utf8" });
console.log(`\n${js.stdout.trim().split("\n").at(-1) ?? js.stderr}`);
log("done");
