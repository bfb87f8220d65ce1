#!/usr/bin/env node
// bench:list-counts: the key list's tenant-wide counts at 10,000 keys on SQLite, as the page
// reads them (tenantKeyCounts: one aggregate over ApiKey_tenantId_counts_idx) against the five
// COUNTs it replaced, interleaved, three rounds. The per-instance cache those five COUNTs had was
// removed once this showed the aggregate at about half their cost (bench/README.md).
// `npm run bench:list-counts` (react-server: queries.ts is server-only); BENCH_N samples per cell (default 150).
import { performance } from "node:perf_hooks";
import { prepareDatabase, fmt, stats, table } from "./lib/common.mjs";
import { insertKeys } from "./lib/keys.mjs";

const N = Number(process.env.BENCH_N || 150);
const file = prepareDatabase("list-counts-10k.db");
await insertKeys(file, "acme", 10_000);
const { createPrismaClient } = await import("../lib/db/prisma.ts");
const { expiringSoonIds, tenantKeyCounts } = await import("../lib/api-keys/queries.ts");
const { countingKeysWhere, flagWhere } = await import("../lib/api-keys/where.ts");
const db = createPrismaClient(`file:${file}`);
const { id: tenantId } = await db.tenant.findUniqueOrThrow({ where: { slug: "acme" } });

async function fiveCounts(now) {
  // Expiring soon is scaled to each key's lifetime: its filter takes the ids the rule picked.
  const soon = await expiringSoonIds(db, tenantId, now);
  const [used, revocable, expiringSoon, idle, needsRotation] = await Promise.all([
    db.apiKey.count({ where: countingKeysWhere(tenantId, now) }),
    db.apiKey.count({ where: { tenantId, status: "active" } }),
    ...["expiring_soon", "idle", "needs_rotation"].map((flag) => db.apiKey.count({ where: { AND: [{ tenantId }, flagWhere(flag, now, 90, soon)] } })),
  ]);
  return { used, revocable, warnings: { expiringSoon, idle, needsRotation } };
}

const now = new Date();
const [a, b] = [await fiveCounts(now), await tenantKeyCounts(db, tenantId, now, 90)];
if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`the two disagree: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
const cells = { "five COUNTs": () => fiveCounts(new Date()), "one aggregate": () => tenantKeyCounts(db, tenantId, new Date(), 90) };
const rows = [];
for (let round = 1; round <= 3; round++) {
  const samples = Object.fromEntries(Object.keys(cells).map((name) => [name, []]));
  for (let i = 0; i < N + 20; i++) {
    for (const [name, run] of Object.entries(cells)) {
      const started = performance.now();
      await run();
      if (i >= 20) samples[name].push(performance.now() - started);
    }
  }
  const [five, one] = Object.values(samples).map((x) => stats(x));
  rows.push([String(round), fmt(five.p50, 2), fmt(five.p95, 2), fmt(one.p50, 2), fmt(one.p95, 2)]);
}
console.log(table(["round", "five COUNTs p50 ms", "p95", "one aggregate p50 ms", "p95"], rows));
await db.$disconnect();
