#!/usr/bin/env node
// Optional diagnostic for bench/verify.mjs: where does the server spend its CPU per request?
// Runs the production server under `node --cpu-prof`, loads it with autocannon, and analyses
// only the samples taken during the measured window (V8's profile clock and process.hrtime
// are both CLOCK_MONOTONIC on Linux). Minified app frames are mapped back to their source
// files through the build's source maps.
//
//   node --import tsx bench/profile-verify.mjs [health] [whoami] [whoami-nocache] [malformed]
//
// Prints, per scenario: requests/s, sampled CPU µs per request, self time by area, and
// inclusive time of the app's own source files (lib/..., app/...) per request.
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";
import { DATA_DIR, DIST_DIR, ROOT, SECRETS, ensureBuild, fmt, log, prepareDatabase, startServer, table } from "./lib/common.mjs";
import { insertKnownKey } from "./lib/keys.mjs";
import { displayPrefix, generateApiKeySecret, hashApiKey } from "../lib/api-keys/key-format.ts";

const PORT = Number(process.env.BENCH_PORT || 3275);
const DURATION = Number(process.env.BENCH_DURATION || 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

const SCENARIOS = {
  health: { path: "/v1/health", key: () => null, env: {} },
  whoami: { path: "/v1/whoami", key: (secret) => secret, env: {} },
  "whoami-nocache": { path: "/v1/whoami", key: (secret) => secret, env: { KEYWARD_KEY_CACHE_TTL_MS: "0" } },
  malformed: { path: "/v1/whoami", key: () => "kw_" + "a".repeat(38), env: {} },
};

const maps = new Map();
function traceMapFor(url) {
  if (!url.startsWith("file://") || !url.includes(`/${DIST_DIR}/`)) return null;
  if (!maps.has(url)) {
    try {
      const file = new URL(url).pathname;
      maps.set(url, new TraceMap(JSON.parse(readFileSync(file + ".map", "utf8"))));
    } catch {
      maps.set(url, null);
    }
  }
  return maps.get(url);
}

/** Area and (for app code) original source of one call frame. */
function classify(callFrame) {
  const { url, functionName, lineNumber, columnNumber } = callFrame;
  if (!url) return { area: `(${(functionName || "native").slice(0, 40)})`, source: null, fn: functionName || "native" };
  if (url.startsWith("node:")) return { area: "node internals", source: null, fn: `${functionName || "(anon)"} ${url}` };
  if (url.startsWith("wasm://")) return { area: "wasm (Prisma query compiler)", source: null, fn: "wasm" };
  const map = traceMapFor(url);
  if (map) {
    const pos = originalPositionFor(map, { line: lineNumber + 1, column: Math.max(0, columnNumber) });
    const source = pos.source ? pos.source.replace(/^.*?\[project\]\//, "").replace(/^turbopack:\/\/\//, "").replace(/^(\.\.\/)+/, "") : null;
    if (source) {
      const pkg = /node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(source)?.[1];
      const fn = `${pos.name || functionName || "(anon)"} ${source}:${pos.line}`;
      return { area: pkg ? `pkg ${pkg}` : `app ${source}`, source: pkg ? null : `${source}`, fn };
    }
    return { area: "app chunks (unmapped)", source: null, fn: `${functionName} ${url}` };
  }
  const pkg = /node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(url)?.[1];
  const short = url.replace(`file://${ROOT}/`, "").replace(/^.*node_modules\//, "");
  return { area: pkg ? `pkg ${pkg}` : short, source: null, fn: `${functionName || "(anon)"} ${short}:${lineNumber + 1}` };
}

function analyse(profile, fromUs, toUs, requests) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const info = new Map(profile.nodes.map((n) => [n.id, classify(n.callFrame)]));
  const self = new Map();
  const inclusive = new Map();
  const functions = new Map();
  let t = profile.startTime;
  let windowUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (t < fromUs || t > toUs) continue;
    const id = profile.samples[i];
    const leaf = info.get(id);
    if (leaf.area === "((idle))") continue;
    windowUs += dt;
    self.set(leaf.area, (self.get(leaf.area) ?? 0) + dt);
    const seen = new Set();
    const seenFn = new Set();
    for (let node = id; node !== undefined; node = parent.get(node)) {
      const { source, fn } = info.get(node);
      if (source && !seen.has(source)) {
        seen.add(source);
        inclusive.set(source, (inclusive.get(source) ?? 0) + dt);
      }
      if (fn && !seenFn.has(fn)) {
        seenFn.add(fn);
        functions.set(fn, (functions.get(fn) ?? 0) + dt);
      }
    }
    void byId;
  }
  const per = (us) => us / Math.max(1, requests);
  return {
    cpuUsPerRequest: per(windowUs),
    self: [...self].sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, per(us), us / windowUs]),
    inclusive: [...inclusive].sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, per(us), us / windowUs]),
    functions: [...functions].sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, per(us), us / windowUs]),
  };
}

async function main() {
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(SCENARIOS);
  ensureBuild();
  const dbFile = prepareDatabase("profile.db");
  const secret = generateApiKeySecret();
  insertKnownKey(dbFile, "acme", "Full access", {
    name: "bench profile",
    prefix: displayPrefix(secret),
    hash: hashApiKey(secret, SECRETS.KEYWARD_HASH_SECRET),
  });
  for (const name of wanted) {
    const scenario = SCENARIOS[name];
    if (!scenario) throw new Error(`unknown scenario ${name}: ${Object.keys(SCENARIOS).join(", ")}`);
    const dir = path.join(DATA_DIR, `profile-${name}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`${name}: server under --cpu-prof, ${DURATION} s of load after a 3 s warm-up ...`);
    const server = await startServer({
      port: PORT,
      dbFile,
      env: { KEYWARD_AUTH_FAILURE_LIMIT: "1000000000", KEYWARD_USAGE_FLUSH_MS: "600000", ...scenario.env },
      nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=250"],
    });
    const key = scenario.key(secret);
    const options = { url: server.base + scenario.path, connections: CONNECTIONS, headers: key ? { "x-api-key": key } : {} };
    let result;
    let from;
    let to;
    try {
      await autocannon({ ...options, duration: 3 });
      from = nowUs();
      result = await autocannon({ ...options, duration: DURATION });
      to = nowUs();
    } finally {
      await server.stop();
    }
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
    const a = analyse(profile, from, to, result.requests.total);
    console.log(`\n## ${name}: ${fmt(result.requests.average, 0)} req/s, ${result.requests.total} requests, ` +
      `${JSON.stringify(Object.fromEntries(Object.entries(result.statusCodeStats).map(([c, s]) => [c, s.count])))}; ` +
      `sampled server CPU ${fmt(a.cpuUsPerRequest, 0)} µs/request (idle excluded)`);
    console.log("\nself time by area (µs per request, share):");
    console.log(table(["area", "µs/req", "share"], a.self.slice(0, 14).map(([k, us, share]) => [k, fmt(us, 0), `${fmt(share * 100, 1)}%`])));
    console.log("\ninclusive time of the app's own source files (µs per request, share):");
    console.log(table(["source", "µs/req", "share"], a.inclusive.slice(0, 14).map(([k, us, share]) => [k, fmt(us, 0), `${fmt(share * 100, 1)}%`])));
    const top = Number(process.env.BENCH_PROFILE_FUNCTIONS || 0);
    if (top > 0) {
      console.log(`\ninclusive time of the top ${top} functions (any code; µs per request, share):`);
      console.log(table(["function", "µs/req", "share"], a.functions.slice(0, top).map(([k, us, share]) => [k.slice(0, 140), fmt(us, 0), `${fmt(share * 100, 1)}%`])));
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
