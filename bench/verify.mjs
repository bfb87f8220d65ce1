#!/usr/bin/env node
// Benchmark of API key verification on the production server (scripts/server.mjs), one machine.
// `npm run bench:verify` (= node --import tsx bench/verify.mjs; tsx lets it use the app's own
// key format code). By hand, not in CI. See bench/README.md.
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
  prepareDatabase,
  readMetrics,
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
async function cannon(base, { path, headers = {}, requests, duration, connections = CONNECTIONS, server = null, quiet = false, latencies = null }) {
  if (server && quiet) await waitForQuiet({ pids: [server.pid] });
  const cpuBefore = cpuSnapshot([process.pid, server?.pid ?? process.pid]);
  const serverNsBefore = server ? processCpuNs(server.pid) : 0;
  const result = await autocannon({
    url: base + path,
    connections,
    duration,
    headers,
    requests,
    // Every response time, so that slices of one endpoint can be merged into one distribution.
    ...(latencies ? { setupClient: (client) => client.on("response", (_status, _bytes, ms) => latencies.push(ms)) } : {}),
  });
  const cpu = cpuUsage(cpuBefore, cpuSnapshot([process.pid, server?.pid ?? process.pid]));
  const serverCpuSeconds = server ? (processCpuNs(server.pid) - serverNsBefore) / 1e9 : NaN;
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
async function flood(server, label, makeKey, duration = FLOOD) {
  // Warm-up of the same kind: a fresh server's first seconds cost several times more CPU (JIT).
  await cannon(server.base, { path: "/v1/whoami", requests: requestsWith("/v1/whoami", makeKey), duration: WARMUP });
  await sleep(200);
  const before = await readMetrics(server.base);
  const run = await cannon(server.base, { path: "/v1/whoami", requests: requestsWith("/v1/whoami", makeKey), duration, server });
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
function handlerCost(dbFile, secret) {
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
        DATABASE_URL: `file:${dbFile}`,
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

async function main() {
  const info = machine();
  const startedAt = Date.now();
  log(`machine: ${info.cpus} cores, ${info.cpuModel}, node ${info.node}`);
  ensureBuild();

  log("preparing the database and a key (Acme, Full access) ...");
  const dbFile = prepareDatabase("verify.db");
  const secret = generateApiKeySecret();
  insertKnownKey(dbFile, "acme", "Full access", {
    name: "bench verify",
    prefix: displayPrefix(secret),
    hash: hashApiKey(secret, SECRETS.KEYWARD_HASH_SECRET),
  });

  const report = { throughput: [], floods: [], diagnostics: {} };

  // ---- 1. throughput + floods without throttling
  log(`server A (KEYWARD_AUTH_FAILURE_LIMIT=${HIGH_LIMIT}) ...`);
  let server = await startServer({ port: PORT, dbFile, env: { KEYWARD_AUTH_FAILURE_LIMIT: HIGH_LIMIT } });
  try {
    // The floods come first: no valid key has been used yet, so no usage flush (one write per
    // KEYWARD_USAGE_FLUSH_MS after a valid request) can land inside a flood's window.
    // A fresh server's first thousands of requests cost more CPU (JIT): warm the pipeline first.
    await cannon(server.base, { path: "/v1/health", requests: requestsWith("/v1/health", malformedKey), duration: WARMUP });
    log(`floods (${FLOOD} s each, ${CONNECTIONS} connections) ...`);
    report.floods.push({ limit: "off", ...(await flood(server, "malformed (kw_, bad checksum)", malformedKey)) });
    report.floods.push({ limit: "off", ...(await flood(server, "garbage / missing header", garbageKey)) });
    report.floods.push({ limit: "off", ...(await flood(server, "unknown, well-formed (contrast)", generateApiKeySecret)) });
    // Baseline for the floods' req/s: autocannon rebuilding every request costs client CPU.
    report.floodBaseline = await cannon(server.base, {
      path: "/v1/health",
      requests: requestsWith("/v1/health", malformedKey),
      duration: FLOOD,
      server,
    });

    const check = await fetch(`${server.base}/v1/whoami`, { headers: { "x-api-key": secret } });
    const body = await check.json();
    if (check.status !== 200) throw new Error(`whoami with the bench key: HTTP ${check.status} ${JSON.stringify(body)}`);
    log(`whoami ok: ${body.tenant?.name} / ${body.authorizationGroup?.name} / ${body.scopes?.join(" ")}`);

    // The machine may be shared: both endpoints run in short alternating slices (H W, W H, ...)
    // so that whatever else runs meanwhile hits both alike; each gets DURATION seconds in all.
    const sliceSeconds = DURATION / SLICES;
    log(`warm-up ${WARMUP} s each, then ${SLICES} alternating pairs of ${sliceSeconds} s slices (${DURATION} s per endpoint) ...`);
    const targets = {
      health: { path: "/v1/health" },
      whoami: { path: "/v1/whoami", headers: { "x-api-key": secret } },
    };
    await cannon(server.base, { ...targets.health, duration: WARMUP });
    await cannon(server.base, { ...targets.whoami, duration: WARMUP });
    await waitForQuiet({ pids: [server.pid] });
    const agg = Object.fromEntries(
      Object.keys(targets).map((name) => [
        name,
        { name, latencies: [], total: 0, seconds: 0, serverCpuSeconds: 0, foreignCoreSeconds: 0, codes: {}, dbQueries: 0, cacheHits: 0, ok: 0, slices: [] },
      ]),
    );
    for (let pair = 0; pair < SLICES; pair++) {
      const order = pair % 2 === 0 ? ["health", "whoami"] : ["whoami", "health"];
      for (const name of order) {
        const a = agg[name];
        const before = await readMetrics(server.base);
        const run = await cannon(server.base, { ...targets[name], duration: sliceSeconds, server, latencies: a.latencies });
        const after = await readMetrics(server.base);
        a.total += run.total;
        a.seconds += run.seconds;
        a.serverCpuSeconds += run.serverCpuSeconds;
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
        name: a.name,
        rps: a.total / a.seconds,
        total: a.total,
        p50: st.p50,
        p99: percentile([...a.latencies].sort((x, y) => x - y), 99),
        mean: st.mean,
        codes: a.codes,
        serverUsPerRequest: (a.serverCpuSeconds * 1e6) / Math.max(1, a.total),
        foreignCores: a.foreignCoreSeconds / a.seconds,
        dbQueries: a.dbQueries,
        cacheHits: a.cacheHits,
        ok: a.ok,
        slices: a.slices,
      });
    }
    report.pairRatios = agg.whoami.slices.map((w, i) => w / agg.health.slices[i]).sort((x, y) => x - y);
  } finally {
    await server.stop();
  }

  // ---- 2. floods with the default throttle (fresh server each: the throttle counts per address)
  for (const [label, makeKey] of [
    ["malformed (kw_, bad checksum)", malformedKey],
    ["unknown, well-formed (contrast)", generateApiKeySecret],
  ]) {
    log(`server with the default failure limit: ${label} ...`);
    // Usage flush pushed out of the window: the warm-up's valid requests must not write during it.
    // Listening on :: as well, so that the warm-up can come from another address (::1) than the
    // measurement (127.0.0.1): the throttle counts per address.
    server = await startServer({ port: PORT, dbFile, env: { KEYWARD_USAGE_FLUSH_MS: "600000", KEYWARD_BIND: "::" } });
    try {
      // Warm-up: the valid key (loads the route and Prisma), then the same flood from ::1, which
      // uses up ::1's allowance and warms the 401 and 429 paths; 127.0.0.1 starts afresh.
      await cannon(server.base, { path: "/v1/whoami", headers: { "x-api-key": secret }, duration: WARMUP });
      const v6 = server.base.replace("127.0.0.1", "[::1]");
      await cannon(v6, { path: "/v1/whoami", requests: requestsWith("/v1/whoami", makeKey), duration: WARMUP });
      await sleep(200);
      const before = await readMetrics(server.base);
      const run = await cannon(server.base, { path: "/v1/whoami", requests: requestsWith("/v1/whoami", makeKey), duration: FLOOD, server });
      await sleep(200);
      const after = await readMetrics(server.base);
      report.floods.push({
        limit: "default (20/min)",
        label,
        ...run,
        dbQueries: delta(before, after, "db_queries_total"),
        unauthorized: delta(before, after, "verify_unauthorized_total"),
        rateLimited: delta(before, after, "verify_rate_limited_total"),
        ok: 0,
      });
    } finally {
      await server.stop();
    }
  }

  // ---- 3. diagnostics: whoami with every request going to the database
  log("server with KEYWARD_KEY_CACHE_TTL_MS=0 (diagnostic) ...");
  server = await startServer({ port: PORT, dbFile, env: { KEYWARD_KEY_CACHE_TTL_MS: "0", KEYWARD_AUTH_FAILURE_LIMIT: HIGH_LIMIT } });
  try {
    const whoami = { path: "/v1/whoami", headers: { "x-api-key": secret } };
    await cannon(server.base, { ...whoami, duration: WARMUP });
    const before = await readMetrics(server.base);
    const run = await cannon(server.base, { ...whoami, duration: DURATION, server, quiet: true });
    const after = await readMetrics(server.base);
    report.diagnostics.noCache = { ...run, dbQueries: delta(before, after, "db_queries_total"), cacheHits: delta(before, after, "verify_cache_hits_total") };
  } finally {
    await server.stop();
  }
  report.diagnostics.micro = microbench();
  report.diagnostics.handlers = handlerCost(dbFile, secret);

  // ---- report
  const avg = (name, field) => {
    const runs = report.throughput.filter((r) => r.name === name);
    return runs.reduce((s, r) => s + r[field], 0) / runs.length;
  };
  const healthRps = avg("health", "rps");
  const whoamiRps = avg("whoami", "rps");
  const ratio = whoamiRps / healthRps;
  const healthCpu = avg("health", "serverUsPerRequest");
  const whoamiCpu = avg("whoami", "serverUsPerRequest");
  const malformedOff = report.floods.find((f) => f.limit === "off" && f.label.startsWith("malformed"));
  const cores = (n) => fmt(n, 2);

  const lines = [];
  lines.push(`# bench:verify — ${info.date}`);
  lines.push(`machine: ${info.cpus} cores (${info.cpuModel}), ${info.memGiB} GiB, node ${info.node}, ${info.platform}`);
  lines.push(`build: ${describeBuild()}`);
  lines.push(
    `autocannon ${CONNECTIONS} connections; throughput: ${DURATION} s per endpoint after ${WARMUP} s warm-up, in ${SLICES} alternating ` +
      `pairs of ${fmt(DURATION / SLICES, 1)} s slices; floods ${FLOOD} s. ` +
      "Client and server share the 2 cores. \"server CPU\" = CPU time of the server process per completed request; " +
      "\"other cores\" = CPU used by processes other than the server and the benchmark during the run (shared machine).",
  );
  lines.push("");
  lines.push("## Throughput: GET /v1/whoami (valid key) vs GET /v1/health");
  lines.push(
    table(
      ["run", "req/s", "p50 ms", "p99 ms", "mean ms", "requests", "status codes", "server CPU µs/req", "other cores", "db queries", "cache hits"],
      report.throughput.map((r) => [
        r.name,
        fmt(r.rps, 0),
        fmt(r.p50, 0),
        fmt(r.p99, 0),
        fmt(r.mean, 2),
        r.total,
        codesText(r.codes),
        fmt(r.serverUsPerRequest, 0),
        cores(r.foreignCores),
        r.name === "whoami" ? r.dbQueries : "-",
        r.name === "whoami" ? r.cacheHits : "-",
      ]),
    ),
  );
  lines.push("");
  lines.push("## Floods: a different X-API-Key on every request to GET /v1/whoami");
  const fb = report.floodBaseline;
  lines.push(
    table(
      ["failure limit", "keys", "req/s", "p50 ms", "p99 ms", "requests", "status codes", "server CPU µs/req", "other cores", "db_queries_total Δ", "queries/request"],
      [
        ...report.floods.map((f) => [
          f.limit,
          f.label,
          fmt(f.rps, 0),
          fmt(f.p50, 0),
          fmt(f.p99, 0),
          f.total,
          codesText(f.codes),
          fmt(f.serverUsPerRequest, 0),
          cores(f.foreignCores),
          f.dbQueries,
          fmt(f.dbQueries / Math.max(1, f.total), 2),
        ]),
        ["-", "baseline: /v1/health, same per-request header", fmt(fb.rps, 0), fmt(fb.p50, 0), fmt(fb.p99, 0), fb.total, codesText(fb.codes), fmt(fb.serverUsPerRequest, 0), cores(fb.foreignCores), "-", "-"],
      ],
    ),
  );
  lines.push("");
  const nc = report.diagnostics.noCache;
  const micro = report.diagnostics.micro;
  const hc = report.diagnostics.handlers;
  lines.push("## Diagnostics");
  lines.push(
    table(
      ["measurement", "value"],
      [
        ["whoami, key cache off (TTL 0): req/s", fmt(nc.rps, 0)],
        ["whoami, key cache off: p50 / p99 ms", `${fmt(nc.p50, 0)} / ${fmt(nc.p99, 0)}`],
        ["whoami, key cache off: server CPU µs/req", fmt(nc.serverUsPerRequest, 0)],
        ["whoami, key cache off: db queries per request", fmt(nc.dbQueries / Math.max(1, nc.total), 2)],
        ["whoami, cache off vs on (req/s)", `${fmt((nc.rps / whoamiRps) * 100, 0)}%`],
        ["malformed flood: server CPU µs/req (no DB, no HMAC)", fmt(malformedOff.serverUsPerRequest, 0)],
        ...(hc
          ? [
              ["in-process: new NextRequest + empty Response (baseline)", `${fmt(hc.request, 1)} µs/call`],
              ["in-process: health route handler (incl. NextRequest)", `${fmt(hc.health, 1)} µs/call`],
              ["in-process: whoami route handler, valid key, cache hit", `${fmt(hc.whoami, 1)} µs/call`],
              ["in-process: whoami route handler, malformed key (401)", `${fmt(hc.malformed, 1)} µs/call`],
              ["whoami handler − health handler", `${fmt(hc.whoami - hc.health, 1)} µs/call`],
              [
                "predicted whoami/health capacity = health CPU / (health CPU + handler difference)",
                `${fmt((healthCpu / (healthCpu + hc.whoami - hc.health)) * 100, 1)}%`,
              ],
            ]
          : []),
        ["isWellFormedApiKey (checksum), in-process", `${fmt(micro.checksumUs, 2)} µs/call`],
        ["hashApiKey (HMAC-SHA-256), in-process", `${fmt(micro.hmacUs, 2)} µs/call`],
      ],
    ),
  );
  lines.push("");
  lines.push("## Summary");
  lines.push(
    table(
      ["metric", "value", "goal", "result"],
      [
        ["health req/s", fmt(healthRps, 0), "", ""],
        ["whoami req/s", fmt(whoamiRps, 0), "", ""],
        ["health p50 / p99 ms", `${fmt(avg("health", "p50"), 1)} / ${fmt(avg("health", "p99"), 1)}`, "", ""],
        ["whoami p50 / p99 ms", `${fmt(avg("whoami", "p50"), 1)} / ${fmt(avg("whoami", "p99"), 1)}`, "", ""],
        ["whoami / health req/s", `${fmt(ratio * 100, 1)}%`, `≥ ${GOAL * 100}%`, ratio >= GOAL ? "ok" : "MISSED"],
        [
          "whoami / health per slice pair (min / median / max)",
          `${fmt(report.pairRatios[0] * 100, 0)}% / ${fmt(percentile(report.pairRatios, 50) * 100, 0)}% / ${fmt(report.pairRatios.at(-1) * 100, 0)}%`,
          "",
          "",
        ],
        [
          "server CPU per request: health / whoami µs (capacity ratio)",
          `${fmt(healthCpu, 0)} / ${fmt(whoamiCpu, 0)} (${fmt((healthCpu / whoamiCpu) * 100, 1)}%)`,
          `≥ ${GOAL * 100}%`,
          healthCpu / whoamiCpu >= GOAL ? "ok" : "MISSED",
        ],
        ...report.floods.map((f) => [
          `db queries during flood: ${f.label}, limit ${f.limit}`,
          String(f.dbQueries),
          f.label.startsWith("unknown") ? "> 0 (contrast)" : "0",
          f.label.startsWith("unknown") ? (f.dbQueries > 0 ? "costs queries, as expected" : "0 (throttled)") : f.dbQueries === 0 ? "ok" : "FAILED",
        ]),
      ],
    ),
  );
  lines.push("");
  lines.push(`took ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  console.log(lines.join("\n"));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
