// The one helper of the benchmarks in bench/: the build, a fresh SQLite database, a production
// server on it, programmatic next-auth sign-in, metrics, statistics and Markdown tables.
// Run by hand (npm run bench:*), never in CI.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DATA_DIR = path.join(ROOT, "bench", ".data");
export const DIST_DIR = process.env.BENCH_DIST_DIR || ".next-bench";

/** Secrets for this run only: every benchmark database is created fresh with them. */
export const SECRETS = {
  NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
  KEYWARD_HASH_SECRET: randomBytes(32).toString("base64url"),
  KEYWARD_TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
  KEYWARD_CONNECTION_KEK: randomBytes(32).toString("base64url"),
  KEYWARD_METRICS_TOKEN: randomBytes(24).toString("base64url"),
};

export function log(...args) {
  console.error("[bench]", ...args);
}

export function machine() {
  const cpus = os.cpus();
  return { date: new Date().toISOString(), cpus: cpus.length, cpuModel: cpus[0]?.model ?? "unknown", memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

/** `npm run build` into DIST_DIR (Next.js and dist/server), unless a build is there (BENCH_REBUILD=1 forces one). */
export function ensureBuild() {
  if (existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID")) && existsSync(path.join(ROOT, "dist", "server", "app-entry.mjs")) && process.env.BENCH_REBUILD !== "1") {
    log(`using the existing build in ${DIST_DIR} (BENCH_REBUILD=1 to rebuild)`);
    return;
  }
  log(`building into ${DIST_DIR} (a few minutes on 2 cores) ...`);
  const started = Date.now();
  const result = spawnSync("npm", ["run", "build"], { cwd: ROOT, env: { ...process.env, KEYWARD_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`npm run build failed (exit ${result.status})`);
  }
  log(`build done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** dist/server (the hot path and the standalone verifier), compiled apart from Next's build. */
export function buildServer() {
  const built = spawnSync(process.execPath, ["scripts/build-server.mjs"], { cwd: ROOT, encoding: "utf8" });
  if (built.status !== 0) throw new Error(built.stderr);
}

/** A fresh SQLite file in bench/.data, migrated and seeded with the demo data by scripts/prepare-db.mjs. */
export function prepareDatabase(name) {
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, name);
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
  prepareUrl(`file:${file}`);
  return file;
}

/** Migrates the database at `url` and seeds the demo data (scripts/prepare-db.mjs), with this run's secrets. */
export function prepareUrl(url) {
  const env = { ...process.env, ...SECRETS, DATABASE_URL: url, KEYWARD_REQUIRE_SECRETS: "1" };
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts", "prepare-db.mjs")], { cwd: ROOT, env, encoding: "utf8" });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`prepare-db failed for ${url}`);
  }
}

async function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

const running = new Set();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

/**
 * Starts `node scripts/server.mjs` (the production server) on `port` with the SQLite file
 * `dbFile`. Resolves once /v1/health answers; `stop()` sends SIGTERM (the server flushes usage).
 */
export async function startServer({ port, dbFile, env = {}, nodeArgs = [] }) {
  const url = `file:${dbFile}`;
  if (!(await portIsFree(port))) throw new Error(`port ${port} is in use: set BENCH_PORT to another one`);
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, "scripts", "server.mjs")], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      KEYWARD_BIND: "127.0.0.1",
      KEYWARD_DIST_DIR: DIST_DIR,
      DATABASE_URL: url,
      NEXTAUTH_URL: base,
      ...SECRETS,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server on ${port} exited early:\n${output}`);
    try {
      const res = await fetch(`${base}/v1/health`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server on ${port} did not answer within 60 s:\n${output}`);
    }
    await sleep(200);
  }
  return {
    base,
    pid: child.pid,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
      running.delete(child);
    },
  };
}

/** A helper process (a verifier, redis-server, a floor), resolved once its output says `ready`. */
export function startChild(command, args, { env = {}, ready = "ready" } = {}) {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (output.includes(ready)) resolve(child);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output}`)));
  });
}

/** SIGTERM, then wait for the exit (its shutdown flush included). */
export async function stopChild(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** The standalone verifier (dist/server/verifier.mjs) on loopback `port`, with this run's secrets. */
export function startVerifier({ port, databaseUrl, env = {}, nodeArgs = [] }) {
  return startChild(process.execPath, [...nodeArgs, "dist/server/verifier.mjs"], {
    env: { NODE_ENV: "production", DATABASE_URL: databaseUrl, KEYWARD_VERIFIER_PORT: String(port), KEYWARD_BIND: "127.0.0.1", ...SECRETS, ...env },
  });
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A minimal cookie jar: name -> value, from Set-Cookie headers. */
function absorbCookies(jar, response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}
export function cookieHeader(jar) {
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** A signed-in GET of a dashboard page, timed to the first byte and to the whole body. */
export async function timePage(base, jar, pathname, search) {
  const url = `${base}${pathname}${search ? `?${search}` : ""}`;
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie: cookieHeader(jar) }, redirect: "manual" });
  const ttfb = performance.now() - started;
  const html = await response.text();
  const total = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status} (signed out?)`);
  return { ttfb, total, bytes: Buffer.byteLength(html), html };
}

/**
 * One page on a production server over the `small` database and one over the `large`, signed in
 * as Acme's owner, scenario by scenario: `n` requests each, interleaved so that drift on a shared
 * machine hits both sizes alike, after 5 warm-up rounds. `more(servers, jars)` runs before the
 * servers stop; its answer is returned beside the results.
 */
export async function comparePage({ port, small, large, pathname, scenarios, n }, more = async () => null) {
  const servers = [await startServer({ port, dbFile: small }), await startServer({ port: port + 1, dbFile: large })];
  try {
    const jars = await Promise.all(servers.map((s) => signIn(s.base, "owner@acme.test")));
    const results = [];
    for (const [name, search] of scenarios) {
      const samples = [[], []];
      for (let i = 0; i < n + 5; i++) {
        for (const s of [0, 1]) {
          const { total } = await timePage(servers[s].base, jars[s], pathname, search);
          if (i >= 5) samples[s].push(total);
        }
      }
      results.push({ name, small: stats(samples[0]), large: stats(samples[1]) });
    }
    return { results, more: await more(servers, jars) };
  } finally {
    for (const server of servers) await server.stop();
  }
}

/** next-auth v4 credentials sign-in without a browser; returns the cookie jar with the session. */
export async function signIn(base, email, password = "keyward-demo") {
  const jar = new Map();
  const csrfResponse = await fetch(`${base}/api/auth/csrf`);
  absorbCookies(jar, csrfResponse);
  const { csrfToken } = await csrfResponse.json();
  const body = new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${base}/tenant-api-keys` });
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body,
    redirect: "manual",
  });
  absorbCookies(jar, response);
  await response.text();
  if (![...jar.keys()].some((name) => name.endsWith("next-auth.session-token"))) {
    throw new Error(`sign-in as ${email} failed (HTTP ${response.status}): no session cookie`);
  }
  return jar;
}

export async function readMetrics(base) {
  const response = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${SECRETS.KEYWARD_METRICS_TOKEN}` } });
  if (!response.ok) throw new Error(`GET /api/metrics: HTTP ${response.status}`);
  return response.json();
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), min: sorted[0], max: sorted.at(-1), mean };
}

/** Prints rows (arrays of cells) as a Markdown table, so it can be pasted into bench/README.md. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row) => "| " + row.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  return [line(cells[0]), "| " + widths.map((w) => "-".repeat(w)).join(" | ") + " |", ...cells.slice(1).map(line)].join(
    "\n",
  );
}

export const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

// ---------------------------------------------------------------------------------------------
// Load with autocannon, with what its summary leaves out: sub-millisecond percentiles (its
// histogram stores whole milliseconds; each response's exact time comes with its "response"
// event) and the CPU each process spent per request (Linux /proc), so that a shared machine's
// noise shows up as noise and the cost of each hop can be told apart.
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
const PIN = process.env.BENCH_PIN === "1"; // servers (every thread) on core 0, autocannon on core 1: bench/README.md

/** CPU time (user + system, ms) that the processes `pids` have used so far. */
export function cpuMs(pids) {
  let total = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    total += Number(fields[11]) + Number(fields[12]);
  }
  return (total * 1000) / CLOCK_TICKS;
}

/** VmRSS and VmHWM (peak RSS since start) of a process, in KiB. */
export function memoryKiB(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
    return { rss: field("VmRSS"), hwm: field("VmHWM") };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/** The child processes of `pid` (an NGINX master's workers). */
export function childPids(pid) {
  const children = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(entry));
    } catch {}
  }
  return children;
}

/** 1-minute load average, as a string for the tables. */
export function loadAverage() {
  return os.loadavg()[0].toFixed(1);
}

/**
 * autocannon on `url` for `seconds` with `connections`, each request from `make(i)` (headers,
 * method, body). `processes`: { name: [pid, ...] } whose CPU per request is reported in us
 * ("client" is this process: autocannon itself). Returns req/s, p50/p99 in ms (2xx only, to
 * the microsecond), errors (non-2xx, timeouts), and cpu: { name: us per request }.
 */
export async function loadTest(url, { connections, seconds, make = () => ({}), processes = {}, rate } = {}) {
  if (PIN) for (const [pids, cpu] of [[[process.pid], "1"], [Object.values(processes).flat(), "0"]]) for (const pid of pids) spawnSync("taskset", ["-a", "-p", "-c", cpu, String(pid)], { stdio: "ignore" });
  const latencies = [];
  const before = Object.fromEntries(Object.entries(processes).map(([name, pids]) => [name, cpuMs(pids)]));
  const self = process.cpuUsage();
  let i = 0;
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: [{ setupRequest: (request) => ({ ...request, ...make(i++) }) }],
  });
  instance.on("response", (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  const own = process.cpuUsage(self);
  const total = result.requests.total || 1;
  const cpu = { client: (own.user + own.system) / total };
  for (const [name, pids] of Object.entries(processes)) cpu[name] = ((cpuMs(pids) - before[name]) * 1000) / total;
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: result.requests.total / (result.duration || seconds),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: result.errors + result.timeouts + (result.non2xx ?? 0),
    cpu,
  };
}
