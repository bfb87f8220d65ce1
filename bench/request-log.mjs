#!/usr/bin/env node
// bench:request-log: the request log (lib/request-log/), in one run. By hand, not in CI.
//  1. Ingest: entries/s through the buffer and the writer (one INSERT per chunk of 2,000) into
//     a table that grows to BENCH_LOG_INGEST rows, on SQLite and on PostgreSQL (when available).
//  2. The key page's log query at BENCH_LOG_ROWS entries for one key vs 1,000 for another, in the
//     same table, for each filter (first page, median of 20).
//  3. Pruning BENCH_LOG_ROWS expired entries: the longest batch and the event loop's longest stall (SQLite: in the worker).
//  4. Verification with the log on vs off: the standalone verifier (dist/server/verifier.mjs)
//     twice on one database, GET /v1/whoami with one key, rounds interleaved.
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { SECRETS, buildServer, fmt, loadTest, log, machine, prepareDatabase, prepareUrl, startVerifier, stats, stopChild, table } from "./lib/common.mjs";
import { seedBenchKeys, tenantGroup, withBenchDb } from "./lib/keys.mjs";

Object.assign(process.env, SECRETS, { KEYWARD_REQUEST_LOG_BUFFER: "10000000" });
const INGEST = Number(process.env.BENCH_LOG_INGEST || 300_000);
const ROWS = Number(process.env.BENCH_LOG_ROWS || 1_000_000);
const PORT = Number(process.env.BENCH_PORT || 3296);
const DURATION = Number(process.env.BENCH_DURATION || 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);

const { createKeyLookup } = await import("../lib/verify/lookup.ts");
const { flushRequestLog, pruneRequestLog, recordRequest, PRUNE_BATCH, PRUNE_TARGET_MS } = await import("../lib/request-log/buffer.ts");
const { requestLogPage } = await import("../lib/request-log/queries.ts");
const { createPrismaClient } = await import("../lib/db/prisma.ts");
// Key ids for the log's rows (RequestLog.keyId has no foreign key): cuid-shaped, made up.
const madeUpKeyId = () => `cbench${randomBytes(10).toString("hex")}`;

function entries(n, keyId, tenantId, startAt, stepMs) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      at: startAt + i * stepMs, tenantId, keyId, requestId: `req_${i.toString(36)}`,
      outcome: i % 20 === 0 ? "IP_NOT_ALLOWED" : "VALID", clientIp: `10.0.${(i >> 8) & 255}.${i & 255}`,
      tokenId: null, method: "GET", path: "/v1/whoami", userAgent: "bench/1.0", source: "v1",
    };
  }
  return out;
}

/** Buffers `list` as verifications would, then writes it: the app's own buffer and writer. */
async function write(lookup, list) {
  for (const e of list) recordRequest(lookup.requestLog, e);
  await flushRequestLog();
}

async function ingest(url, tenantId) {
  const lookup = createKeyLookup(url);
  const keys = Array.from({ length: 100 }, () => madeUpKeyId());
  const rounds = 15;
  const perRound = Math.ceil(INGEST / rounds);
  // Made before the clock starts: what is measured is the buffer and the writer.
  const batches = Array.from({ length: rounds }, (_, r) => entries(perRound, keys[r % keys.length], tenantId, Date.now(), 1));
  const started = performance.now();
  for (const batch of batches) await write(lookup, batch);
  const seconds = (performance.now() - started) / 1000;
  await lookup.close();
  return (perRound * rounds) / seconds;
}

async function pageAndPrune(url, tenantId) {
  const lookup = createKeyLookup(url);
  const db = createPrismaClient(url);
  const big = madeUpKeyId();
  const small = madeUpKeyId();
  const old = Date.now() - 40 * 86_400_000;
  log(`writing ${ROWS} entries for one key (expired) and 1,000 for another ...`);
  for (let i = 0; i < ROWS; i += 20_000) await write(lookup, entries(Math.min(20_000, ROWS - i), big, tenantId, old + i * 100, 100));
  await write(lookup, entries(1000, small, tenantId, old, 1000));
  if (lookup.provider === "postgresql") await db.$executeRawUnsafe(`ANALYZE "RequestLog"`); // as autovacuum does within a minute of such growth: without statistics the planner sorts all of a key's entries
  const filters = [["newest first", {}], ["outcome", { outcome: "IP_NOT_ALLOWED" }], ["address", { ip: "10.0.0.7" }], ["time range", { from: new Date(old), to: new Date(old + 600_000) }]];
  const rows = [];
  for (const [name, f] of filters) {
    const time = async (keyId) => {
      const t0 = performance.now();
      await requestLogPage(db, tenantId, keyId, f);
      return performance.now() - t0;
    };
    for (let i = 0; i < 5; i++) await time(small).then(() => time(big)); // warm-up, not counted
    const s = [], b = [];
    for (let i = 0; i < 20; i++) {
      s.push(await time(small));
      b.push(await time(big));
    }
    const ms = stats(s).p50, mb = stats(b).p50;
    rows.push([name, fmt(ms, 2), fmt(mb, 2), fmt(mb / ms, 2)]);
  }
  // Pruning: every batch timed (SQLite: in the log's worker thread; PostgreSQL: on the pool).
  const durations = [];
  const timed = { insert: lookup.requestLog.insert, prune: (before, limit) => { const t0 = performance.now(); return lookup.requestLog.prune(before, limit).finally(() => durations.push(performance.now() - t0)); } };
  // What a request would wait for: the event loop's longest stall during the prune, beside a usage-like
  // write on the lookup's connection every 100 ms; the floor: its longest stall idle for 10 s after.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const writes = setInterval(() => lookup.usage.writeRootKeyUse([]).catch(() => {}), 100);
  const t0 = performance.now();
  const deleted = await pruneRequestLog(Date.now(), timed);
  const total = (performance.now() - t0) / 1000;
  clearInterval(writes);
  delay.disable();
  const idle = monitorEventLoopDelay({ resolution: 1 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  idle.disable();
  await db.$disconnect();
  await lookup.close();
  return { rows, prune: { deleted, seconds: total, batches: durations.length, max: Math.max(...durations), p50: stats(durations).p50, stall: delay.max / 1e6, stallP99: delay.percentile(99) / 1e6, idle: idle.max / 1e6 } };
}

const tenantOf = (file) => withBenchDb(file, async (db) => (await tenantGroup(db, "acme")).tenantId);

async function postgres() {
  const { ensurePostgres, freshDatabase } = await import("../scripts/postgres.mjs");
  const admin = ensurePostgres();
  if (!admin.url) return null;
  const url = await freshDatabase(admin.url, "keyward_bench_request_log");
  prepareUrl(url);
  const db = createPrismaClient(url);
  const { tenantId } = await tenantGroup(db, "acme").finally(() => db.$disconnect());
  return { url, tenantId };
}

async function verifyOnOff(file) {
  buildServer();
  const {
    secrets: [secret],
  } = await seedBenchKeys(file, [{ name: "bench" }]);
  const start = (port, on) =>
    startVerifier({ port, databaseUrl: `file:${file}`, env: { KEYWARD_REQUEST_LOG: on ? "1" : "0", KEYWARD_REQUEST_LOG_BUFFER: "100000" } });
  const off = await start(PORT, false);
  const on = await start(PORT + 1, true);
  const rps = { off: [], on: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, port] of [["off", PORT], ["on", PORT + 1]]) {
        const r = await loadTest(`http://127.0.0.1:${port}/v1/whoami`, { connections: 10, seconds: DURATION, make: () => ({ headers: { "x-api-key": secret } }) });
        if (r.errors) throw new Error(`${r.errors} failed answers`);
        rps[name].push(r.rps);
      }
    }
  } finally {
    await Promise.all([off, on].map(stopChild));
  }
  const logged = new Database(file, { readonly: true });
  const written = logged.prepare(`SELECT COUNT(*) AS n FROM "RequestLog"`).get().n;
  logged.close();
  return { off: stats(rps.off).p50, on: stats(rps.on).p50, written };
}

console.log(`## bench:request-log\n\n${JSON.stringify({ ...machine(), loadavg: (await import("node:os")).loadavg().map((n) => n.toFixed(1)) })}\n`);
const sqliteFile = prepareDatabase("request-log.db");
const sqliteTenant = await tenantOf(sqliteFile);
const pgTarget = await postgres().catch((error) => (log("PostgreSQL skipped:", error.message), null));

const ingestRows = [["SQLite", fmt(await ingest(`file:${sqliteFile}`, sqliteTenant), 0)]];
if (pgTarget) ingestRows.push(["PostgreSQL", fmt(await ingest(pgTarget.url, pgTarget.tenantId), 0)]);
console.log(`### Ingest (${INGEST} entries, 15 flushes; floor 20,000/s)\n`);
console.log(table(["database", "entries/s"], ingestRows));

for (const [name, url, tenantId] of [["SQLite", `file:${sqliteFile}`, sqliteTenant], ...(pgTarget ? [["PostgreSQL", pgTarget.url, pgTarget.tenantId]] : [])]) {
  const { rows, prune } = await pageAndPrune(url, tenantId);
  console.log(`\n### ${name}: first page at 1,000 vs ${ROWS} entries (median ms; ceiling 1.5x)\n`);
  console.log(table(["filter", "1,000", String(ROWS), "x"], rows));
  console.log(`\n${name} pruning: ${prune.deleted} entries in ${fmt(prune.seconds)} s, ${prune.batches} batches (sized to ~${PRUNE_TARGET_MS} ms, from ${PRUNE_BATCH}), longest ${fmt(prune.max, 1)} ms, median ${fmt(prune.p50, 1)} ms; event loop stalled at most ${fmt(prune.stall, 1)} ms, p99 ${fmt(prune.stallP99, 1)} ms (ceiling 50 ms); idle floor ${fmt(prune.idle, 1)} ms`);
}

const v = await verifyOnOff(prepareDatabase("request-log-verify.db"));
console.log(`\n### Verification, standalone verifier, GET /v1/whoami, 10 connections, ${DURATION} s x ${ROUNDS} rounds interleaved (floor 0.9x)\n`);
console.log(table(["request log", "req/s (median)", "x off"], [["off", fmt(v.off, 0), "1.00"], ["on", fmt(v.on, 0), fmt(v.on / v.off, 2)]]));
console.log(`\nEntries written by the "on" verifier: ${v.written}`);
