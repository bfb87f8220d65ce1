#!/usr/bin/env node
// Benchmark of API key verification on the production server (scripts/server.mjs), one machine,
// on SQLite and on PostgreSQL in the same run (BENCH_DATABASES; PostgreSQL when available).
// `npm run bench:verify` (= node --import tsx bench/verify.mjs; tsx lets it use the app's own
// key format code). By hand, not in CI. See bench/README.md.
//
// Every step below runs on every database; the throughput slices alternate over all of them
// (one server per database, all running), so that noise hits each database alike. Only the
// in-process measurements of step 3 (route handlers, checksum, HMAC) run once.
//
//  1. Throughput: GET /v1/whoami with a valid key vs GET /v1/health (fixed JSON, no database),
//     same connections and total duration, after a warm-up; run in short alternating slices
//     (H W, W H, ...) so that noise from other processes on a shared machine hits both alike.
//  2. Floods with a different X-API-Key on every request, with /api/metrics read before and
//     after: malformed keys (kw_ + 38 characters, wrong checksum), plain garbage, and, for
//     contrast, unknown but well-formed keys (valid checksum, not in the database).
//     With KEYWARD_AUTH_FAILURE_LIMIT very high (no throttling) and with the default limit.
//  3. Diagnostics: whoami with the key cache off (KEYWARD_KEY_CACHE_TTL_MS=0), and the
//     in-process cost of the checksum and the HMAC.
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import {
  PROVIDER_LABEL,
  ROOT,
  SECRETS,
  cpuSnapshot,
  cpuUsage,
  describeBuild,
  ensureBuild,
  fmt,
  processCpuNs,
  log,
  machine,
  percentile,
  postgresBackendPids,
  prepareTarget,
  dropTargets,
  readMetrics,
  redactUrl,
  selectDatabases,
  sleep,
  startServer,
  stats,
  table,
  waitForQuiet,
} from "./lib/common.mjs";
import { insertKnownKey } from "./lib/keys.mjs";
import { displayPrefix, generateApiKeySecret, hashApiKey, isWellFormedApiKey, KEY_LENGTH } from "../lib/api-keys/key-format.ts";

const PORT = Number(process.env.BENCH_PORT || 3270);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
const DURATION = Number(process.env.BENCH_DURATION || 10);
const WARMUP = Number(process.env.BENCH_WARMUP || 3);
const FLOOD = Number(process.env.BENCH_FLOOD || 5);
const SLICES = Number(process.env.BENCH_SLICES || 5);
const HIGH_LIMIT = "1000000000";
const GOAL = 0.9;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const randomBase62 = (n) => Array.from({ length: n }, () => BASE62[randomInt(62)]).join("");

/** kw_ + 38 base62 characters (the right length) whose last 6 are not the CRC-32 checksum. */
function malformedKey() {
  for (;;) {
    const candidate = "kw_" + randomBase62(KEY_LENGTH - 3);
    if (!isWellFormedApiKey(candidate)) return candidate;
  }
}

/** Anything but a key: random printable text, wrong tags, wrong lengths, or no header at all. */
function garbageKey() {
  const kind = randomInt(6);
  if (kind === 0) return null; // header missing
  if (kind === 1) return Array.from({ length: 1 + randomInt(120) }, () => String.fromCharCode(33 + randomInt(94))).join("");
  if (kind === 2) return "ghp_" + randomBase62(36);
  if (kind === 3) return randomBase62(KEY_LENGTH); // right length, no tag
  if (kind === 4) return "kw_" + randomBase62(randomInt(60)); // tag, wrong length
  return "Bearer " + randomBase62(40);
}

function requestsWith(path, makeKey) {
  return [
    {
      method: "GET",
      path,
      setupRequest: (req) => {
        const key = makeKey();
        const headers = { ...req.headers };
        if (key === null) delete headers["x-api-key"];
        else headers["x-api-key"] = key;
        return { ...req, headers };
      },
    },
  ];
}

/**
 * One autocannon run. With `server` (measured runs), waits for a quiet machine first and
 * accounts CPU: the server's CPU time per request, and the cores other processes used.
 */
async function cannon(base, { path, headers = {}, requests, duration, connections = CONNECTIONS, server = null, quiet = false, latencies = null, dbTarget = null }) {
  // The PostgreSQL backends of the server's pool come and go (pg closes idle connections after
  // 10 s): the CPU of those alive at the end, minus what they had at the start (0 if new).
  const dbPids = await postgresBackendPids(dbTarget);
  if (server && quiet) await waitForQuiet({ pids: [server.pid, ...dbPids] });
  const cpuBefore = cpuSnapshot([process.pid, server?.pid ?? process.pid, ...dbPids]);
  const serverNsBefore = server ? processCpuNs(server.pid) : 0;
  const dbNsBefore = new Map(dbPids.map((pid) => [pid, processCpuNs(pid)]));
  const result = await autocannon({
    url: base + path,
    connections,
    duration,
    headers,
    requests,
    // Every response time, so that slices of one endpoint can be merged into one distribution.
    ...(latencies ? { setupClient: (client) => client.on("response", (_status, _bytes, ms) => latencies.push(ms)) } : {}),
  });
  const cpu = cpuUsage(cpuBefore, cpuSnapshot([process.pid, server?.pid ?? process.pid, ...dbPids]));
  const serverCpuSeconds = server ? (processCpuNs(server.pid) - serverNsBefore) / 1e9 : NaN;
  // PostgreSQL backends of this server's pool (local cluster only): the database's CPU share.
  let dbCpuSeconds = NaN;
  if (dbTarget?.provider === "postgresql") {
    const after = await postgresBackendPids(dbTarget);
    if (after.length || dbPids.length) {
      dbCpuSeconds = after.reduce((t, pid) => t + Math.max(0, processCpuNs(pid) - (dbNsBefore.get(pid) ?? 0)), 0) / 1e9;
    }
  }
  const codes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    errors: result.errors,
    timeouts: result.timeouts,
    codes,
    seconds: cpu.seconds,
    serverCpuSeconds,
    serverUsPerRequest: (serverCpuSeconds * 1e6) / Math.max(1, result.requests.total),
    dbCpuSeconds,
    dbUsPerRequest: (dbCpuSeconds * 1e6) / Math.max(1, result.requests.total),
    serverCores: server ? cpu.perPid[server.pid] : NaN,
    foreignCores: cpu.foreignCores,
  };
}

const codesText = (codes) =>
  Object.entries(codes)
    .map(([code, count]) => `${code}: ${count}`)
    .join(", ");

function delta(before, after, name) {
  return (after[name] ?? 0) - (before[name] ?? 0);
}

/** One flood: warm the route, read the counters, flood, read them again. */
async function flood(server, label, makeKey, duration = FLOOD, target = null) {
  // Warm-up of the same kind: a fresh server's first seconds cost several times more CPU (JIT).
  await cannon(server.base, { path: "/v1/whoami", requests: requestsWith("/v1/whoami", makeKey), duration: WARMUP });
  await sleep(200);
  const before = await readMetrics(server.base);
  const run = await cannon(server.base, { path: "/v1/whoami", requests: requestsWith("/v1/whoami", makeKey), duration, server, dbTarget: target });
  await sleep(200);
  const after = await readMetrics(server.base);
  return {
    label,
    ...run,
    dbQueries: delta(before, after, "db_queries_total"),
    unauthorized: delta(before, after, "verify_unauthorized_total"),
    rateLimited: delta(before, after, "verify_rate_limited_total"),
    ok: delta(before, after, "verify_ok_total"),
  };
}

/** µs per call of the route handlers in-process (bench/lib/handler-cost.ts), or null on failure. */
function handlerCost(dbFileOrUrl, secret) {
  const databaseUrl = /^(file:|postgres(ql)?:\/\/)/i.test(dbFileOrUrl) ? dbFileOrUrl : `file:${dbFileOrUrl}`;
  log("route handlers in-process (no HTTP, no Next.js pipeline) ...");
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "bench", "lib", "handler-cost.ts"), secret],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: databaseUrl,
        KEYWARD_HASH_SECRET: SECRETS.KEYWARD_HASH_SECRET,
        KEYWARD_AUTH_FAILURE_LIMIT: HIGH_LIMIT,
        KEYWARD_USAGE_FLUSH_MS: "600000",
        BENCH_HANDLER_N: process.env.BENCH_HANDLER_N || "10000",
      },
    },
  );
  if (result.status !== 0) {
    log(`handler-cost failed: ${result.stderr.slice(-500)}`);
    return null;
  }
  return JSON.parse(result.stdout);
}

function microbench() {
  const secret = generateApiKeySecret();
  const malformed = malformedKey();
  const time = (fn, n) => {
    for (let i = 0; i < 2000; i++) fn();
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    return ((performance.now() - t) * 1000) / n; // µs per call
  };
  return {
    checksumUs: time(() => isWellFormedApiKey(malformed), 200_000),
    hmacUs: time(() => hashApiKey(secret, SECRETS.KEYWARD_HASH_SECRET), 100_000),
  };
}

const emptyAgg = (db, name) => ({
  db,
  name,
  latencies: [],
  total: 0,
  seconds: 0,
  serverCpuSeconds: 0,
  dbCpuSeconds: 0,
  foreignCoreSeconds: 0,
  codes: {},
  dbQueries: 0,
  cacheHits: 0,
  ok: 0,
  slices: [],
});

async function main() {
  const info = machine();
  const startedAt = Date.now();
  log(`machine: ${info.cpus} cores, ${info.cpuModel}, node ${info.node}`);
  ensureBuild();
  const selection = await selectDatabases();

  const secret = generateApiKeySecret();
  const dbs = [];
  const report = { throughput: [], floods: [], pairRatios: {}, floodBaseline: {}, noCache: {}, diagnostics: {} };
  const running = new Set();
  try {
    for (const provider of selection.providers) {
      log(`preparing the ${PROVIDER_LABEL[provider]} database and a key (Acme, Full access) ...`);
      const target = await prepareTarget(provider, "verify", { adminUrl: selection.postgres.url });
      await insertKnownKey(target, "acme", "Full access", {
        name: "bench verify",
        prefix: displayPrefix(secret),
        hash: hashApiKey(secret, SECRETS.KEYWARD_HASH_SECRET),
      });
      dbs.push({ provider, label: PROVIDER_LABEL[provider], target });
    }
    const start = async (db, port, env) => {
      const server = await startServer({ port, target: db.target, env });
      running.add(server);
      return server;
    };
    const stop = async (server) => {
      running.delete(server);
      await server.stop();
    };

    // ---- 1. one server per database (no throttling): floods first, then throughput
    log(`servers A on ${dbs.map((db, i) => `${db.label} :${PORT + i}`).join(", ")} (KEYWARD_AUTH_FAILURE_LIMIT=${HIGH_LIMIT}) ...`);
    const servers = [];
    for (const [i, db] of dbs.entries()) servers.push(await start(db, PORT + i, { KEYWARD_AUTH_FAILURE_LIMIT: HIGH_LIMIT }));

    // The floods come first: no valid key has been used yet, so no usage flush (one write per
    // KEYWARD_USAGE_FLUSH_MS after a valid request) can land inside a flood's window.
    for (const [i, db] of dbs.entries()) {
      const server = servers[i];
      // A fresh server's first thousands of requests cost more CPU (JIT): warm the pipeline first.
      await cannon(server.base, { path: "/v1/health", requests: requestsWith("/v1/health", malformedKey), duration: WARMUP });
      log(`${db.label}: floods (${FLOOD} s each, ${CONNECTIONS} connections) ...`);
      report.floods.push({ db: db.provider, limit: "off", ...(await flood(server, "malformed (kw_, bad checksum)", malformedKey, FLOOD, db.target)) });
      report.floods.push({ db: db.provider, limit: "off", ...(await flood(server, "garbage / missing header", garbageKey, FLOOD, db.target)) });
      report.floods.push({ db: db.provider, limit: "off", ...(await flood(server, "unknown, well-formed (contrast)", generateApiKeySecret, FLOOD, db.target)) });
      // Baseline for the floods' req/s: autocannon rebuilding every request costs client CPU.
      report.floodBaseline[db.provider] = await cannon(server.base, {
        path: "/v1/health",
        requests: requestsWith("/v1/health", malformedKey),
        duration: FLOOD,
        server,
      });
    }

    for (const [i, db] of dbs.entries()) {
      const check = await fetch(`${servers[i].base}/v1/whoami`, { headers: { "x-api-key": secret } });
      const body = await check.json();
      if (check.status !== 200) throw new Error(`${db.label}: whoami with the bench key: HTTP ${check.status} ${JSON.stringify(body)}`);
      log(`${db.label}: whoami ok: ${body.tenant?.name} / ${body.authorizationGroup?.name} / ${body.scopes?.join(" ")}`);
    }

    // The machine may be shared: every (database, endpoint) runs in short slices, alternating
    // over all of them (SQLite H W, PostgreSQL H W, then the reverse, ...) so that whatever else
    // runs meanwhile hits all alike; each gets DURATION seconds in all.
    const sliceSeconds = DURATION / SLICES;
    log(
      `warm-up ${WARMUP} s each, then ${SLICES} rounds of alternating ${sliceSeconds} s slices over ${dbs.length * 2} (database, endpoint) pairs (${DURATION} s each) ...`,
    );
    const endpoints = {
      health: { path: "/v1/health" },
      whoami: { path: "/v1/whoami", headers: { "x-api-key": secret } },
    };
    for (const server of servers) {
      await cannon(server.base, { ...endpoints.health, duration: WARMUP });
      await cannon(server.base, { ...endpoints.whoami, duration: WARMUP });
    }
    const dbPids = [];
    for (const db of dbs) dbPids.push(await postgresBackendPids(db.target));
    await waitForQuiet({ pids: [...servers.map((s) => s.pid), ...dbPids.flat()] });
    const agg = {};
    const sequence = dbs.flatMap((db, i) => ["health", "whoami"].map((name) => ({ i, db, name, key: `${db.provider}|${name}` })));
    for (const item of sequence) agg[item.key] = emptyAgg(item.db.provider, item.name);
    for (let round = 0; round < SLICES; round++) {
      const order = round % 2 === 0 ? sequence : [...sequence].reverse();
      for (const { i, key, name } of order) {
        const a = agg[key];
        const server = servers[i];
        const before = await readMetrics(server.base);
        const run = await cannon(server.base, { ...endpoints[name], duration: sliceSeconds, server, latencies: a.latencies, dbTarget: dbs[i].target });
        const after = await readMetrics(server.base);
        a.total += run.total;
        a.seconds += run.seconds;
        a.serverCpuSeconds += run.serverCpuSeconds;
        a.dbCpuSeconds += Number.isFinite(run.dbCpuSeconds) ? run.dbCpuSeconds : NaN;
        a.foreignCoreSeconds += run.foreignCores * run.seconds;
        for (const [code, count] of Object.entries(run.codes)) a.codes[code] = (a.codes[code] ?? 0) + count;
        a.dbQueries += delta(before, after, "db_queries_total");
        a.cacheHits += delta(before, after, "verify_cache_hits_total");
        a.ok += delta(before, after, "verify_ok_total");
        a.slices.push(run.total / run.seconds);
      }
    }
    for (const a of Object.values(agg)) {
      const st = stats(a.latencies);
      report.throughput.push({
        db: a.db,
        name: a.name,
        rps: a.total / a.seconds,
        total: a.total,
        p50: st.p50,
        p99: percentile([...a.latencies].sort((x, y) => x - y), 99),
        mean: st.mean,
        codes: a.codes,
        serverUsPerRequest: (a.serverCpuSeconds * 1e6) / Math.max(1, a.total),
        dbUsPerRequest: (a.dbCpuSeconds * 1e6) / Math.max(1, a.total),
        foreignCores: a.foreignCoreSeconds / a.seconds,
        dbQueries: a.dbQueries,
        cacheHits: a.cacheHits,
        ok: a.ok,
        slices: a.slices,
      });
    }
    for (const db of dbs) {
      const w = agg[`${db.provider}|whoami`].slices;
      const h = agg[`${db.provider}|health`].slices;
      report.pairRatios[db.provider] = w.map((x, k) => x / h[k]).sort((x, y) => x - y);
    }
    for (const server of servers) await stop(server);

    // ---- 2. floods with the default throttle (fresh server each: the throttle counts per address)
    for (const db of dbs) {
      for (const [label, makeKey] of [
        ["malformed (kw_, bad checksum)", malformedKey],
        ["unknown, well-formed (contrast)", generateApiKeySecret],
      ]) {
        log(`${db.label}: server with the default failure limit: ${label} ...`);
        // Usage flush pushed out of the window: the warm-up's valid requests must not write during it.
        // Listening on :: as well, so that the warm-up can come from another address (::1) than the
        // measurement (127.0.0.1): the throttle counts per address.
        const server = await start(db, PORT, { KEYWARD_USAGE_FLUSH_MS: "600000", KEYWARD_BIND: "::" });
        try {
          // Warm-up: the valid key (loads the route and Prisma), then the same flood from ::1, which
          // uses up ::1's allowance and warms the 401 and 429 paths; 127.0.0.1 starts afresh.
          await cannon(server.base, { path: "/v1/whoami", headers: { "x-api-key": secret }, duration: WARMUP });
          const v6 = server.base.replace("127.0.0.1", "[::1]");
          await cannon(v6, { path: "/v1/whoami", requests: requestsWith("/v1/whoami", makeKey), duration: WARMUP });
          await sleep(200);
          const before = await readMetrics(server.base);
          const run = await cannon(server.base, { path: "/v1/whoami", requests: requestsWith("/v1/whoami", makeKey), duration: FLOOD, server, dbTarget: db.target });
          await sleep(200);
          const after = await readMetrics(server.base);
          report.floods.push({
            db: db.provider,
            limit: "default (20/min)",
            label,
            ...run,
            dbQueries: delta(before, after, "db_queries_total"),
            unauthorized: delta(before, after, "verify_unauthorized_total"),
            rateLimited: delta(before, after, "verify_rate_limited_total"),
            ok: 0,
          });
        } finally {
          await stop(server);
        }
      }
    }

    // ---- 3. diagnostics: whoami with every request going to the database, on each database
    for (const db of dbs) {
      log(`${db.label}: server with KEYWARD_KEY_CACHE_TTL_MS=0 (diagnostic) ...`);
      const server = await start(db, PORT, { KEYWARD_KEY_CACHE_TTL_MS: "0", KEYWARD_AUTH_FAILURE_LIMIT: HIGH_LIMIT });
      try {
        const whoami = { path: "/v1/whoami", headers: { "x-api-key": secret } };
        await cannon(server.base, { ...whoami, duration: WARMUP });
        const before = await readMetrics(server.base);
        const run = await cannon(server.base, { ...whoami, duration: DURATION, server, quiet: true, dbTarget: db.target });
        const after = await readMetrics(server.base);
        report.noCache[db.provider] = { ...run, dbQueries: delta(before, after, "db_queries_total"), cacheHits: delta(before, after, "verify_cache_hits_total") };
      } finally {
        await stop(server);
      }
    }
    // In-process, once: they do not depend on the database (the whoami handler is timed on cache hits).
    report.diagnostics.micro = microbench();
    report.diagnostics.handlers = handlerCost(dbs[0].target.url, secret);
    report.diagnostics.handlersOn = dbs[0].label;
  } finally {
    for (const server of running) await server.stop();
    await dropTargets(dbs.map((d) => d.target));
  }

  printReport({ info, startedAt, selection, dbs, report });
}

function printReport({ info, startedAt, selection, dbs, report }) {
  const tp = (db, name) => report.throughput.find((r) => r.db === db && r.name === name);
  const fl = (db, limit, prefix) => report.floods.find((f) => f.db === db && f.limit === limit && f.label.startsWith(prefix));
  const cores = (n) => fmt(n, 2);
  const us = (n) => (Number.isFinite(n) ? fmt(n, 0) : "-");
  const providers = dbs.map((d) => d.provider);
  const P = (p) => PROVIDER_LABEL[p];
  const derived = Object.fromEntries(
    providers.map((p) => {
      const h = tp(p, "health");
      const w = tp(p, "whoami");
      return [p, { h, w, ratio: w.rps / h.rps, cpuRatio: h.serverUsPerRequest / w.serverUsPerRequest }];
    }),
  );

  const lines = [];
  lines.push(`# bench:verify — ${info.date}`);
  lines.push(`machine: ${info.cpus} cores (${info.cpuModel}), ${info.memGiB} GiB, node ${info.node}, ${info.platform}`);
  lines.push(`build: ${describeBuild()}`);
  lines.push(
    "databases: " +
      dbs.map((d) => `${d.label} = ${d.target.database}`).join("; ") +
      (selection.postgres.url ? ` (PostgreSQL ${selection.postgres.version}, ${redactUrl(selection.postgres.url)}, from ${selection.postgres.source})` : ""),
  );
  if (selection.skipped) lines.push(`**${selection.skipped}**`);
  lines.push(
    `autocannon ${CONNECTIONS} connections; throughput: ${DURATION} s per database and endpoint after ${WARMUP} s warm-up, in ${SLICES} rounds of ` +
      `${fmt(DURATION / SLICES, 1)} s slices alternating over every database and endpoint; floods ${FLOOD} s. ` +
      "Client, server and PostgreSQL share the 2 cores. \"server CPU\" = CPU time of the Node server process per completed request; " +
      "\"db CPU\" = CPU time of the PostgreSQL backends of that server's pool per request (local cluster; '-' for SQLite, which runs inside the server); " +
      "\"other cores\" = CPU used by processes other than the server, its PostgreSQL backends and the benchmark during the run (shared machine).",
  );
  lines.push("");
  lines.push("## Throughput: GET /v1/whoami (valid key) vs GET /v1/health");
  lines.push(
    table(
      ["database", "run", "req/s", "p50 ms", "p99 ms", "mean ms", "requests", "status codes", "server CPU µs/req", "db CPU µs/req", "other cores", "db queries", "cache hits"],
      report.throughput.map((r) => [
        P(r.db),
        r.name,
        fmt(r.rps, 0),
        fmt(r.p50, 0),
        fmt(r.p99, 0),
        fmt(r.mean, 2),
        r.total,
        codesText(r.codes),
        fmt(r.serverUsPerRequest, 0),
        us(r.dbUsPerRequest),
        cores(r.foreignCores),
        r.name === "whoami" ? r.dbQueries : "-",
        r.name === "whoami" ? r.cacheHits : "-",
      ]),
    ),
  );
  lines.push("");
  lines.push("## Floods: a different X-API-Key on every request to GET /v1/whoami");
  lines.push(
    table(
      ["database", "failure limit", "keys", "req/s", "p50 ms", "p99 ms", "requests", "status codes", "server CPU µs/req", "db CPU µs/req", "other cores", "db_queries_total Δ", "queries/request"],
      providers.flatMap((p) => {
        const fb = report.floodBaseline[p];
        return [
          ...report.floods
            .filter((f) => f.db === p)
            .map((f) => [
              P(p),
              f.limit,
              f.label,
              fmt(f.rps, 0),
              fmt(f.p50, 0),
              fmt(f.p99, 0),
              f.total,
              codesText(f.codes),
              fmt(f.serverUsPerRequest, 0),
              us(f.dbUsPerRequest),
              cores(f.foreignCores),
              f.dbQueries,
              fmt(f.dbQueries / Math.max(1, f.total), 2),
            ]),
          [P(p), "-", "baseline: /v1/health, same per-request header", fmt(fb.rps, 0), fmt(fb.p50, 0), fmt(fb.p99, 0), fb.total, codesText(fb.codes), fmt(fb.serverUsPerRequest, 0), "-", cores(fb.foreignCores), "-", "-"],
        ];
      }),
    ),
  );
  lines.push("");

  const micro = report.diagnostics.micro;
  const hc = report.diagnostics.handlers;
  lines.push("## Diagnostics");
  lines.push(
    table(
      ["measurement", ...providers.map(P)],
      [
        ["whoami, key cache off (TTL 0): req/s", ...providers.map((p) => fmt(report.noCache[p].rps, 0))],
        ["whoami, key cache off: p50 / p99 ms", ...providers.map((p) => `${fmt(report.noCache[p].p50, 0)} / ${fmt(report.noCache[p].p99, 0)}`)],
        ["whoami, key cache off: server CPU µs/req", ...providers.map((p) => fmt(report.noCache[p].serverUsPerRequest, 0))],
        ["whoami, key cache off: db CPU µs/req", ...providers.map((p) => us(report.noCache[p].dbUsPerRequest))],
        ["whoami, key cache off: db queries per request", ...providers.map((p) => fmt(report.noCache[p].dbQueries / Math.max(1, report.noCache[p].total), 2))],
        ["whoami, key cache off: other cores", ...providers.map((p) => cores(report.noCache[p].foreignCores))],
        ["whoami, cache off vs on (req/s)", ...providers.map((p) => `${fmt((report.noCache[p].rps / derived[p].w.rps) * 100, 0)}%`)],
        ["malformed flood: server CPU µs/req (no DB, no HMAC)", ...providers.map((p) => fmt(fl(p, "off", "malformed").serverUsPerRequest, 0))],
      ],
    ),
  );
  lines.push("");
  lines.push(`In-process (once, DATABASE_URL = the ${report.diagnostics.handlersOn} database; whoami is timed on cache hits):`);
  lines.push(
    table(
      ["measurement", "value"],
      [
        ...(hc
          ? [
              ["in-process: new NextRequest + empty Response (baseline)", `${fmt(hc.request, 1)} µs/call`],
              ["in-process: health route handler (incl. NextRequest)", `${fmt(hc.health, 1)} µs/call`],
              ["in-process: whoami route handler, valid key, cache hit", `${fmt(hc.whoami, 1)} µs/call`],
              ["in-process: whoami route handler, malformed key (401)", `${fmt(hc.malformed, 1)} µs/call`],
              ["whoami handler − health handler", `${fmt(hc.whoami - hc.health, 1)} µs/call`],
              ...providers.map((p) => [
                `predicted whoami/health capacity on ${P(p)} = health CPU / (health CPU + handler difference)`,
                `${fmt((derived[p].h.serverUsPerRequest / (derived[p].h.serverUsPerRequest + hc.whoami - hc.health)) * 100, 1)}%`,
              ]),
            ]
          : [["in-process route handlers", "failed (see the log)"]]),
        ["isWellFormedApiKey (checksum), in-process", `${fmt(micro.checksumUs, 2)} µs/call`],
        ["hashApiKey (HMAC-SHA-256), in-process", `${fmt(micro.hmacUs, 2)} µs/call`],
      ],
    ),
  );
  lines.push("");

  if (providers.length > 1) {
    lines.push("## SQLite vs PostgreSQL, same run");
    const row = (label, f) => [label, ...providers.map(f)];
    const floodCell = (p, limit, prefix) => {
      const f = fl(p, limit, prefix);
      return `${fmt(f.rps, 0)} req/s, Δ ${f.dbQueries} (${fmt(f.dbQueries / Math.max(1, f.total), 2)}/req)`;
    };
    lines.push(
      table(
        ["metric", ...providers.map(P)],
        [
          row("health req/s", (p) => fmt(derived[p].h.rps, 0)),
          row("whoami req/s", (p) => fmt(derived[p].w.rps, 0)),
          row("health p50 / p99 ms", (p) => `${fmt(derived[p].h.p50, 0)} / ${fmt(derived[p].h.p99, 0)}`),
          row("whoami p50 / p99 ms", (p) => `${fmt(derived[p].w.p50, 0)} / ${fmt(derived[p].w.p99, 0)}`),
          row("**whoami / health req/s** (goal ≥ 90%)", (p) => `**${fmt(derived[p].ratio * 100, 1)}%**`),
          row("whoami / health per slice (min / median / max)", (p) => {
            const r = report.pairRatios[p];
            return `${fmt(r[0] * 100, 0)}% / ${fmt(percentile(r, 50) * 100, 0)}% / ${fmt(r.at(-1) * 100, 0)}%`;
          }),
          row("server CPU µs/req health / whoami (capacity ratio)", (p) => `${fmt(derived[p].h.serverUsPerRequest, 0)} / ${fmt(derived[p].w.serverUsPerRequest, 0)} (${fmt(derived[p].cpuRatio * 100, 1)}%)`),
          row("whoami: db queries / cache hits", (p) => `${derived[p].w.dbQueries} / ${derived[p].w.cacheHits}`),
          row("**malformed flood, limit off: db_queries_total Δ**", (p) => `**${fl(p, "off", "malformed").dbQueries}** (${fmt(fl(p, "off", "malformed").rps, 0)} req/s)`),
          row("garbage flood, limit off", (p) => floodCell(p, "off", "garbage")),
          row("unknown well-formed flood, limit off", (p) => floodCell(p, "off", "unknown")),
          row("unknown flood, limit off: server + db CPU µs/req", (p) => `${fmt(fl(p, "off", "unknown").serverUsPerRequest, 0)} + ${us(fl(p, "off", "unknown").dbUsPerRequest)}`),
          row("malformed flood, default limit: db_queries_total Δ", (p) => String(fl(p, "default (20/min)", "malformed").dbQueries)),
          row("unknown flood, default limit: db_queries_total Δ", (p) => String(fl(p, "default (20/min)", "unknown").dbQueries)),
          row("whoami, cache off: req/s (% of cached), queries/req", (p) => {
            const n = report.noCache[p];
            return `${fmt(n.rps, 0)} (${fmt((n.rps / derived[p].w.rps) * 100, 0)}%), ${fmt(n.dbQueries / Math.max(1, n.total), 2)}`;
          }),
          row("whoami, cache off: server + db CPU µs/req", (p) => `${fmt(report.noCache[p].serverUsPerRequest, 0)} + ${us(report.noCache[p].dbUsPerRequest)}`),
          row("other cores during the whoami slices", (p) => cores(derived[p].w.foreignCores)),
        ],
      ),
    );
    lines.push("");
  }

  lines.push("## Summary");
  lines.push(
    table(
      ["database", "metric", "value", "goal", "result"],
      providers.flatMap((p) => {
        const { h, w, ratio, cpuRatio } = derived[p];
        const r = report.pairRatios[p];
        return [
          [P(p), "health req/s", fmt(h.rps, 0), "", ""],
          [P(p), "whoami req/s", fmt(w.rps, 0), "", ""],
          [P(p), "health p50 / p99 ms", `${fmt(h.p50, 1)} / ${fmt(h.p99, 1)}`, "", ""],
          [P(p), "whoami p50 / p99 ms", `${fmt(w.p50, 1)} / ${fmt(w.p99, 1)}`, "", ""],
          [P(p), "whoami / health req/s", `${fmt(ratio * 100, 1)}%`, `≥ ${GOAL * 100}%`, ratio >= GOAL ? "ok" : "MISSED"],
          [P(p), "whoami / health per slice (min / median / max)", `${fmt(r[0] * 100, 0)}% / ${fmt(percentile(r, 50) * 100, 0)}% / ${fmt(r.at(-1) * 100, 0)}%`, "", ""],
          [
            P(p),
            "server CPU per request: health / whoami µs (capacity ratio)",
            `${fmt(h.serverUsPerRequest, 0)} / ${fmt(w.serverUsPerRequest, 0)} (${fmt(cpuRatio * 100, 1)}%)`,
            `≥ ${GOAL * 100}%`,
            cpuRatio >= GOAL ? "ok" : "MISSED",
          ],
          ...report.floods
            .filter((f) => f.db === p)
            .map((f) => [
              P(p),
              `db queries during flood: ${f.label}, limit ${f.limit}`,
              String(f.dbQueries),
              f.label.startsWith("unknown") ? "> 0 (contrast)" : "0",
              f.label.startsWith("unknown") ? (f.dbQueries > 0 ? "costs queries, as expected" : "0 (throttled)") : f.dbQueries === 0 ? "ok" : "FAILED",
            ]),
        ];
      }),
    ),
  );
  lines.push("");
  lines.push(`took ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  console.log(lines.join("\n"));
}

main().catch(async (error) => {
  console.error(error);
  await dropTargets().catch(() => {});
  process.exit(1);
});
