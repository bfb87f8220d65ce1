// Shared helpers of the benchmarks in bench/: build, database preparation (SQLite files and
// PostgreSQL databases), a production server per database, programmatic next-auth sign-in,
// metrics, statistics and table printing.
// Run by hand (npm run bench:list / bench:verify), never in CI.
//
// A database "target" is { provider: "sqlite" | "postgresql", name, label, url, file }: `url` is
// the DATABASE_URL the server gets (file:/abs/path.db or postgresql://...), `file` the SQLite
// file (null on PostgreSQL). prepareTarget() makes one; startServer({ target }) serves it;
// bench/lib/keys.mjs fills it; dropTargets() removes the PostgreSQL databases of this run.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DATA_DIR = path.join(ROOT, "bench", ".data");
export const DIST_DIR = process.env.BENCH_DIST_DIR || ".next-bench";

/** Secrets for this run only: every benchmark database is created fresh with them. */
export const SECRETS = {
  NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
  KEYWARD_HASH_SECRET: randomBytes(32).toString("base64url"),
  KEYWARD_METRICS_TOKEN: randomBytes(24).toString("base64url"),
};

export function log(...args) {
  console.error("[bench]", ...args);
}

export function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

function gitSource() {
  const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
  const dirty = git("status", "--porcelain", "--", "app", "components", "lib", "prisma", "next.config.ts", "package.json");
  return { commit: git("rev-parse", "--short", "HEAD") || "unknown", dirty: dirty.length > 0 };
}

/** Which source the build in DIST_DIR was made from (written by ensureBuild), for the reports. */
export function buildSource() {
  const file = path.join(ROOT, DIST_DIR, "bench-source.json");
  const head = gitSource();
  if (!existsSync(file)) return { commit: "unknown", dirty: null, builtAt: null, head };
  return { ...JSON.parse(readFileSync(file, "utf8")), head };
}

export function describeBuild() {
  const b = buildSource();
  const made = b.commit === "unknown" ? "an unknown commit" : `commit ${b.commit}${b.dirty ? " + uncommitted changes" : ""}`;
  const stale = b.commit !== "unknown" && b.commit !== b.head.commit ? ` (HEAD is now ${b.head.commit}: BENCH_REBUILD=1 to rebuild)` : "";
  return `${DIST_DIR} built ${b.builtAt ?? "at an unknown time"} from ${made}${stale}`;
}

/** Builds the app into DIST_DIR unless a build is already there (BENCH_REBUILD=1 forces one). */
export function ensureBuild() {
  const buildId = path.join(ROOT, DIST_DIR, "BUILD_ID");
  if (existsSync(buildId) && process.env.BENCH_REBUILD !== "1") {
    log(`using the existing build: ${describeBuild()}`);
    return { built: false, output: "" };
  }
  const source = gitSource();
  log(`building into ${DIST_DIR} (a few minutes on 2 cores) ...`);
  const started = Date.now();
  const result = spawnSync("npx", ["next", "build"], {
    cwd: ROOT,
    env: { ...process.env, KEYWARD_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0) {
    console.error(output);
    throw new Error(`next build failed (exit ${result.status})`);
  }
  log(`build done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  writeFileSync(path.join(ROOT, DIST_DIR, "bench-source.json"), JSON.stringify({ ...source, builtAt: new Date().toISOString() }));
  return { built: true, output };
}

/** `node scripts/prepare-db.mjs` (migrations + demo seed) on DATABASE_URL=url, with this run's secrets. */
function runPrepareDb(url, label) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts", "prepare-db.mjs")], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      KEYWARD_REQUIRE_SECRETS: "1",
      NEXTAUTH_SECRET: SECRETS.NEXTAUTH_SECRET,
      KEYWARD_HASH_SECRET: SECRETS.KEYWARD_HASH_SECRET,
    },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`prepare-db failed for ${label}`);
  }
}

/** A fresh SQLite database file: migrated and seeded with the demo data by scripts/prepare-db.mjs. */
export function prepareDatabase(name) {
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, name);
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
  runPrepareDb(`file:${file}`, file);
  return file;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL and database targets

export const PROVIDER_LABEL = { sqlite: "SQLite", postgresql: "PostgreSQL" };

let postgresCache;
/**
 * The PostgreSQL admin URL for this run: BENCH_POSTGRES_URL, else the machine's own cluster
 * through scripts/postgres.mjs's ensurePostgres() (which honours KEYWARD_TEST_POSTGRES_URL, or
 * starts the local Debian cluster as root). Returns { url, source } or { url: null, reason }.
 */
export async function postgresAdmin() {
  if (postgresCache) return postgresCache;
  let found;
  if (process.env.BENCH_POSTGRES_URL) {
    found = { url: process.env.BENCH_POSTGRES_URL, source: "BENCH_POSTGRES_URL" };
  } else {
    const { ensurePostgres } = await import("../../scripts/postgres.mjs");
    const result = ensurePostgres();
    found = result.url ? { url: result.url, source: process.env.KEYWARD_TEST_POSTGRES_URL ? "KEYWARD_TEST_POSTGRES_URL" : "the local cluster (scripts/postgres.mjs)" } : { url: null, reason: result.reason };
  }
  if (found.url) {
    // A URL that is set but unreachable counts as "not available", with the reason.
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: found.url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      found.version = (await client.query("SHOW server_version")).rows[0].server_version;
    } catch (error) {
      found = { url: null, reason: `cannot connect to ${redactUrl(found.url)} (${found.source}): ${error.message}` };
    } finally {
      await client.end().catch(() => {});
    }
  }
  postgresCache = found;
  return found;
}

/** The URL without its password, for logs and reports. */
export function redactUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * Which databases to benchmark: BENCH_DATABASES (comma-separated: sqlite, postgresql), default
 * both when PostgreSQL is available. Without PostgreSQL the default falls back to SQLite alone
 * with the reason in `skipped`; asking for postgresql explicitly then throws.
 * Returns { providers, postgres (see postgresAdmin), skipped }.
 */
export async function selectDatabases() {
  const requested = (process.env.BENCH_DATABASES || "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((s) => (s === "pg" || s === "postgres" ? "postgresql" : s));
  for (const p of requested) if (!PROVIDER_LABEL[p]) throw new Error(`BENCH_DATABASES: unknown database "${p}" (sqlite, postgresql)`);
  const wanted = requested.length > 0 ? [...new Set(requested)] : ["sqlite", "postgresql"];
  let postgres = { url: null, reason: "not requested (BENCH_DATABASES)" };
  let skipped = null;
  if (wanted.includes("postgresql")) {
    postgres = await postgresAdmin();
    if (!postgres.url) {
      if (requested.includes("postgresql")) throw new Error(`BENCH_DATABASES asks for postgresql, but it is not available: ${postgres.reason}`);
      skipped = `PostgreSQL skipped: ${postgres.reason}`;
      log(skipped);
    } else {
      log(`PostgreSQL ${postgres.version} from ${postgres.source}: ${redactUrl(postgres.url)}`);
    }
  }
  const providers = wanted.filter((p) => p !== "postgresql" || postgres.url);
  return { providers, postgres, skipped };
}

// PostgreSQL databases made by this process; dropped by dropTargets() and, as a last resort,
// synchronously on SIGINT/SIGTERM.
const createdPg = new Map(); // database name -> admin URL

function pgDatabaseName(name) {
  const base = name.replace(/\.db$/, "").toLowerCase().replace(/[^a-z0-9_]+/g, "_");
  return `keyward_bench_${base}_${process.pid}`.slice(0, 63);
}

/**
 * A fresh database, migrated and seeded with the demo data by scripts/prepare-db.mjs:
 * - sqlite: bench/.data/<name>.db (as prepareDatabase);
 * - postgresql: database keyward_bench_<name>_<pid> in the admin URL's cluster (dropped first
 *   if it exists), made by scripts/postgres.mjs's freshDatabase().
 * Returns the target { provider, name, label, url, file, database }.
 */
export async function prepareTarget(provider, name, { adminUrl } = {}) {
  if (provider === "sqlite") {
    const file = prepareDatabase(name.endsWith(".db") ? name : `${name}.db`);
    return { provider, name, label: PROVIDER_LABEL.sqlite, url: `file:${file}`, file, database: path.relative(ROOT, file) };
  }
  if (provider !== "postgresql") throw new Error(`unknown provider ${provider}`);
  const admin = adminUrl ?? (await postgresAdmin()).url;
  if (!admin) throw new Error(`PostgreSQL is not available: ${(await postgresAdmin()).reason}`);
  const { freshDatabase } = await import("../../scripts/postgres.mjs");
  const database = pgDatabaseName(name);
  createdPg.set(database, admin);
  const url = await freshDatabase(admin, database);
  runPrepareDb(url, `PostgreSQL database ${database}`);
  return { provider, name, label: PROVIDER_LABEL.postgresql, url, file: null, database };
}

/** Drops the PostgreSQL databases this process made (all, or those of the given targets). */
export async function dropTargets(targets = null) {
  const names = targets ? targets.filter((t) => t?.provider === "postgresql").map((t) => t.database) : [...createdPg.keys()];
  if (names.length === 0) return;
  const pg = (await import("pg")).default;
  const byAdmin = new Map();
  for (const name of names) {
    const admin = createdPg.get(name);
    if (!admin) continue;
    if (!byAdmin.has(admin)) byAdmin.set(admin, []);
    byAdmin.get(admin).push(name);
  }
  for (const [admin, list] of byAdmin) {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      for (const name of list) {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        createdPg.delete(name);
      }
    } finally {
      await client.end();
    }
  }
  log(`dropped PostgreSQL database${names.length > 1 ? "s" : ""} ${names.join(", ")}`);
}

function dropTargetsSync() {
  if (createdPg.size === 0) return;
  const script = `
    const pg = require("pg");
    (async () => {
      for (const [name, admin] of JSON.parse(process.argv[1])) {
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        await c.query('DROP DATABASE IF EXISTS "' + name + '" WITH (FORCE)').catch(() => {});
        await c.end();
      }
    })().catch(() => process.exit(1));`;
  spawnSync(process.execPath, ["-e", script, JSON.stringify([...createdPg])], { cwd: ROOT, stdio: "ignore", timeout: 15_000 });
  createdPg.clear();
}

async function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

const running = new Set();
function stopAll() {
  for (const child of running) {
    try {
      child.kill("SIGKILL");
    } catch {}
  }
}
process.on("exit", () => {
  stopAll();
  dropTargetsSync(); // a safety net: the benches drop their databases themselves (dropTargets)
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopAll();
    dropTargetsSync();
    process.exit(130);
  });
}

/**
 * Starts `node scripts/server.mjs` (the production server) on `port` with its own database:
 * `target` (from prepareTarget), or `databaseUrl` (any DATABASE_URL), or `dbFile` (a SQLite
 * file, the original option). The same build serves both providers: the app picks its Prisma
 * client from DATABASE_URL at runtime (lib/db/prisma.ts).
 * Resolves once /v1/health answers. `stop()` sends SIGTERM (the server flushes usage) and waits.
 */
export async function startServer({ port, dbFile, databaseUrl, target, env = {}, nodeArgs = [] }) {
  const url = target?.url ?? databaseUrl ?? (dbFile ? `file:${dbFile}` : null);
  if (!url) throw new Error("startServer: give target, databaseUrl or dbFile");
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

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

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

/** React's text separators, which split "1–20 of 10000" in the server-rendered HTML. */
export function stripComments(html) {
  return html.replace(/<!-- -->/g, "");
}

/**
 * Prisma's query log shows DateTime parameters as ISO strings with Z; the SQLite adapter binds
 * them in the stored format (+00:00), and LIMIT/OFFSET as integers.
 */
export function toDriverParam(value) {
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value)) return value.replace("Z", "+00:00");
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return value;
}

/** p50 ms of one SQL statement on a SQLite file (better-sqlite3, read-only), after 3 warm-up runs. */
export function timeStatement(dbFile, sql, params, runs = 30) {
  const db = new Database(dbFile, { readonly: true });
  try {
    const statement = db.prepare(sql);
    for (let i = 0; i < 3; i++) statement.all(...params);
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      statement.all(...params);
      samples.push(performance.now() - t);
    }
    return stats(samples).p50;
  } finally {
    db.close();
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
  const response = await fetch(`${base}/api/metrics`, {
    headers: { authorization: `Bearer ${SECRETS.KEYWARD_METRICS_TOKEN}` },
  });
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
// CPU accounting: the machine is shared (other sessions run builds and tests), so every run
// reports how much CPU other processes took while it ran, and waits for a quiet moment first.

const CLK_TCK = 100; // Linux USER_HZ

function readProcStat() {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] || 0);
  const total = v.slice(0, 8).reduce((s, x) => s + x, 0);
  return { idle, total };
}

function readPidTicks(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime are fields 14-17 (1-based); after the ")" they start at index 11.
    return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  } catch {
    return 0;
  }
}

/** Snapshot for cpuUsage(): machine jiffies and the CPU ticks of our own processes. */
export function cpuSnapshot(pids = []) {
  return { at: performance.now(), machine: readProcStat(), pids: pids.map((pid) => [pid, readPidTicks(pid)]) };
}

/** Cores busy between two snapshots: all, ours (the given pids), and everybody else's. */
export function cpuUsage(before, after) {
  const seconds = (after.at - before.at) / 1000;
  const totalTicks = after.machine.total - before.machine.total;
  const idleTicks = after.machine.idle - before.machine.idle;
  const cores = os.cpus().length;
  const busyCores = totalTicks > 0 ? ((totalTicks - idleTicks) / totalTicks) * cores : 0;
  let ours = 0;
  const perPid = {};
  for (const [pid, ticks] of after.pids) {
    const start = before.pids.find(([p]) => p === pid)?.[1] ?? 0;
    perPid[pid] = (ticks - start) / CLK_TCK / seconds;
    ours += perPid[pid];
  }
  return { seconds, busyCores, oursCores: ours, perPid, foreignCores: Math.max(0, busyCores - ours) };
}

/**
 * Waits (up to maxSeconds) until other processes use less than `threshold` cores, sampled
 * over one second. Returns the last sample's foreign load.
 */
export async function waitForQuiet({ pids = [], threshold = Number(process.env.BENCH_QUIET_CORES || 0.25), maxSeconds = Number(process.env.BENCH_QUIET_WAIT || 20) } = {}) {
  const deadline = Date.now() + maxSeconds * 1000;
  for (;;) {
    const a = cpuSnapshot([process.pid, ...pids]);
    await sleep(1000);
    const usage = cpuUsage(a, cpuSnapshot([process.pid, ...pids]));
    if (usage.foreignCores < threshold || Date.now() > deadline) {
      if (usage.foreignCores >= threshold) log(`machine still busy (${usage.foreignCores.toFixed(2)} cores used by other processes); going on`);
      return usage.foreignCores;
    }
  }
}

/**
 * The pids of the PostgreSQL backends connected to the target's database (other than the one
 * asking), when the cluster runs on this machine (the pids exist in /proc as "postgres");
 * [] otherwise. Their CPU is the database's share of a request: it is not in the Node server's
 * own CPU time, and without these pids it would count as "other cores".
 */
export async function postgresBackendPids(target) {
  if (target?.provider !== "postgresql") return [];
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    return rows
      .map((r) => Number(r.pid))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/comm`, "utf8").trim().startsWith("postgres");
        } catch {
          return false;
        }
      });
  } finally {
    await client.end();
  }
}

/** CPU time of a process in nanoseconds, all threads (from /proc/<pid>/task/<tid>/schedstat). */
export function processCpuNs(pid) {
  let total = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {}
    }
  } catch {}
  return total;
}
