#!/usr/bin/env node
// bench:verify: Keyward's hot path against a raw node:http floor, in one run, on SQLite.
// `npm run bench:verify` (node --import tsx, to use the app's key format). By hand, not in CI.
//
//  1. Floors (a child process written here): HMAC-SHA-256 + Map; HMAC-SHA-256 + one prepared
//     better-sqlite3 SELECT (the same join Keyward uses).
//  2. Keyward (scripts/server.mjs with the hot path, dashboard loaded) and the standalone verifier
//     (npm run verifier, no Next.js): POST /v1/keys/verify, GET /v1/authorize, GET /v1/whoami, at
//     10 and 50 connections; cached (one key) and with 100,000 keys in rotation and the cache off
//     (every request a lookup), against the matching floor.
//  3. NGINX (deploy/nginx) with auth_request to Keyward, and to the verifier, vs no auth.
//  4. The standalone verifier's RSS after 100,000 distinct keys passed through its cache.
//  5. Database statements per malformed and per unknown key (/api/metrics).
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { ROOT, SECRETS, buildServer, childPids, cpuMs, ensureBuild, fmt, loadAverage, loadTest, log, machine, memoryKiB, prepareDatabase, readMetrics, sleep, startChild, startServer, stopChild, table } from "./lib/common.mjs";
import { seedBenchKeys } from "./lib/keys.mjs";
import { generateApiKeySecret } from "../lib/api-keys/key-format.ts";

const PORT = Number(process.env.BENCH_PORT || 3290);
const DURATION = Number(process.env.BENCH_DURATION || 5);
const KEYS = Number(process.env.BENCH_KEYS || 100_000);
// The node flags `npm run verifier` starts the verifier with (package.json), so that what is
// measured is what runs.
const VERIFIER_FLAGS = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"))
  .scripts.verifier.split(" ")
  .filter((word) => word.startsWith("--"));
const SOCKET = path.join(tmpdir(), `keyward-bench-verifier-${process.pid}.sock`);
const ports = { keyward: PORT, floor: PORT + 1, upstream: PORT + 2, nginx: PORT + 3, nginxBare: PORT + 4, verifier: PORT + 5 };

// ---------------------------------------------------------------------------------------------
// Data: KEYS known keys in Acme's "Full access" group and one root key, by the test data factory
// in multi-row INSERTs (the domain's create would take hours for 100,000 keys and is not what is measured).
const seedKeys = (file) => seedBenchKeys(file, Array.from({ length: KEYS }, (_, i) => ({ name: `bench ${i}` })), { root: true });

// ---------------------------------------------------------------------------------------------
// The floor: the least a verification server can do, in a child process of its own.
const FLOOR = `
import http from "node:http";
import { createHmac } from "node:crypto";
import Database from "better-sqlite3";
const [file, secret, port, upstreamPort] = process.argv.slice(1);
const db = new Database(file, { readonly: true });
const select = db.prepare(\`SELECT k."id", k."tenantId", k."status", k."expiresAt", g."scopes", t."name" AS "tenantName" FROM "ApiKey" k
  JOIN "Tenant" t ON t."id" = k."tenantId" JOIN "AuthorizationGroup" g ON g."id" = k."groupId" WHERE k."hash" = ? OR k."previousHash" = ?\`);
const map = new Map();
const hmac = (key) => createHmac("sha256", secret).update(key).digest("hex");
function answer(res, row) {
  const body = JSON.stringify(row ? { valid: true, keyId: row.id, tenantId: row.tenantId } : { valid: false });
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
http.createServer((req, res) => {
  const key = req.headers["x-api-key"] ?? "";
  const hash = hmac(String(key));
  if (req.url.startsWith("/map")) {
    let row = map.get(hash);
    if (!row) map.set(hash, (row = select.get(hash, hash)));
    return answer(res, row);
  }
  answer(res, select.get(hash, hash));
}).listen(Number(port), "127.0.0.1");
// The "tiny upstream" behind NGINX.
http.createServer((req, res) => { res.writeHead(200, { "Content-Length": 2 }); res.end("ok"); }).listen(Number(upstreamPort), "127.0.0.1");
console.log("floor ready");
`;

// ---------------------------------------------------------------------------------------------
/** autocannon with a request per call from `make` (rotating keys); `processes` as in loadTest. */
function load(url, connections, make, seconds = DURATION, processes = {}) {
  return loadTest(url, { connections, seconds, make, processes });
}

const rotating = (secrets) => (i) => secrets[i % secrets.length];

async function main() {
  log(`bench:verify on ${JSON.stringify(machine())}`);
  const only = process.env.BENCH_ONLY ?? "";
  if (!["memory", "nginx", "verifier"].includes(only)) ensureBuild(); // those three run dist/server only
  buildServer();
  const file = prepareDatabase("verify-hot-path.db");
  const target = { file, url: `file:${file}` };
  log(`seeding ${KEYS} keys ...`);
  const { secrets, root } = await seedKeys(target.file);
  const one = [secrets[0]];
  const children = [];
  const rows = [];
  try {
    if (only === "memory") return await verifierMemory(target, secrets, root);
    const floor = await startChild(process.execPath, ["--input-type=module", "-e", FLOOR, target.file, SECRETS.KEYWARD_HASH_SECRET, String(ports.floor), String(ports.upstream)], { ready: "floor ready" });
    children.push(floor);
    if (only === "nginx") {
      // Just NGINX: to the standalone verifier (no Next.js to build or start).
      const verifier = await startVerifier(target, { KEYWARD_AUTH_FAILURE_LIMIT: "1000000000" });
      children.push(verifier);
      const onSocket = await startVerifier(target, { KEYWARD_AUTH_FAILURE_LIMIT: "1000000000", KEYWARD_VERIFIER_SOCKET: SOCKET });
      children.push(onSocket);
      return await nginxComparison(root, one[0], floor, [
        ["the verifier", `127.0.0.1:${ports.verifier}`, verifier.pid],
        ["the verifier, Unix socket", `unix:${SOCKET}`, onSocket.pid],
      ]);
    }

    const endpoints = (base, keyOf) => ({
      "verify endpoint": [`${base}/v1/keys/verify`, (i) => ({ method: "POST", headers: { authorization: `Bearer ${root}`, "content-type": "application/json" }, body: JSON.stringify({ key: keyOf(i) }) })],
      "forward-auth": [`${base}/v1/authorize`, (i) => ({ method: "GET", headers: { "x-keyward-root-key": root, "x-api-key": keyOf(i) } })],
      "/v1/whoami": [`${base}/v1/whoami`, (i) => ({ method: "GET", headers: { "x-api-key": keyOf(i) } })],
    });

    for (const scenario of ["cached", "rotation"]) {
      const keyOf = scenario === "cached" ? rotating(one) : rotating(secrets);
      // Rotation: the cache off, so every request is a lookup (100,000 keys would otherwise be cached after one pass).
      const env = { KEYWARD_AUTH_FAILURE_LIMIT: "1000000000", ...(scenario === "rotation" ? { KEYWARD_KEY_CACHE_TTL_MS: "0" } : {}) };
      // BENCH_ONLY=verifier: the floor and the standalone verifier only (no Next.js build or start).
      const server = only === "verifier" ? null : await startServer({ port: ports.keyward, dbFile: target.file, env });
      const verifier = await startVerifier(target, env);
      const verifierBase = `http://127.0.0.1:${ports.verifier}`;
      try {
        const floorPath = scenario === "cached" ? "/map" : "/select";
        const floorUrl = `http://127.0.0.1:${ports.floor}${floorPath}`;
        const floorMake = (i) => ({ headers: { "x-api-key": keyOf(i) } });
        await load(floorUrl, 10, floorMake, 2);
        const targets = [
          ...(server ? Object.entries(endpoints(server.base, keyOf)).map(([name, [url, make]]) => [name, url, make, server.pid]) : []),
          ...Object.entries(endpoints(verifierBase, keyOf)).map(([name, [url, make]]) => [`verifier: ${name}`, url, make, verifier.pid]),
        ];
        for (const [, url, make] of targets) await load(url, 10, make, 2); // warm-up
        const row = (name, r, floorRps) => [scenario, r.connections, name, fmt(r.rps, 0), fmt(r.p50, 2), fmt(r.p99, 2), fmt(r.rps / floorRps, 2), fmt(r.cpu.server, 0), fmt(r.cpu.client, 0), r.load, r.errors];
        for (const connections of [10, 50]) {
          const floorResult = { connections, load: loadAverage(), ...(await load(floorUrl, connections, floorMake, DURATION, { server: [floor.pid] })) };
          rows.push(row(`floor: HMAC + ${scenario === "cached" ? "Map" : "prepared SELECT"}`, floorResult, floorResult.rps));
          for (const [name, url, make, pid] of targets) {
            const r = { connections, load: loadAverage(), ...(await load(url, connections, make, DURATION, { server: [pid] })) };
            rows.push(row(name, r, floorResult.rps));
          }
        }
        if (scenario === "cached" && server) {
          await queryCosts(server.base);
          const onSocket = await startVerifier(target, { ...env, KEYWARD_VERIFIER_SOCKET: SOCKET });
          try {
            await nginxComparison(root, one[0], floor, [
              ["Keyward", `127.0.0.1:${ports.keyward}`, server.pid],
              ["the verifier", `127.0.0.1:${ports.verifier}`, verifier.pid],
              ["the verifier, Unix socket", `unix:${SOCKET}`, onSocket.pid],
            ]);
          } finally {
            await stopChild(onSocket);
          }
        }
      } finally {
        await server?.stop();
        await stopChild(verifier);
      }
    }
    console.log("\n### Throughput (req/s), latency (ms, to the microsecond), ratio to the floor, CPU per request (us)\n");
    console.log(table(["keys", "conns", "server", "req/s", "p50 ms", "p99 ms", "x floor", "server us/req", "client us/req", "load avg", "errors"], rows));
    if (only !== "verifier") await verifierMemory(target, secrets, root);
  } finally {
    for (const child of children) await stopChild(child);
  }
}

async function queryCosts(base) {
  const count = 500;
  const before = (await readMetrics(base)).db_queries_total ?? 0;
  for (let i = 0; i < count; i++) await fetch(`${base}/v1/whoami`, { headers: { "x-api-key": "kw_" + "A".repeat(38) } });
  const middle = (await readMetrics(base)).db_queries_total ?? 0;
  for (let i = 0; i < count; i++) await fetch(`${base}/v1/whoami`, { headers: { "x-api-key": generateApiKeySecret() } });
  const after = (await readMetrics(base)).db_queries_total ?? 0;
  console.log("\n### Database statements per key\n");
  console.log(table(["key", "requests", "statements", "per key"], [
    ["malformed", count, middle - before, fmt((middle - before) / count, 2)],
    ["unknown, well-formed", count, after - middle, fmt((after - middle) / count, 2)],
  ]));
}

/**
 * deploy/nginx with auth_request to each of `auths` ([name, port, pid]) vs the same NGINX with
 * the auth lines removed, BENCH_NGINX_ROUNDS times interleaved, with the CPU each process spends
 * per request: where the time goes, and what ratio the machine allows (see bench/README.md).
 */
async function nginxComparison(root, secret, floor, auths) {
  const nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((f) => existsSync(f));
  if (!nginx) {
    console.log("\n(NGINX not installed: apt-get install -y nginx; comparison skipped)");
    return;
  }
  const rows = [];
  const rounds = Number(process.env.BENCH_NGINX_ROUNDS || 1);
  const make = () => ({ headers: { "x-api-key": secret } });
  for (let round = 1; round <= rounds; round++) {
    let bare = null;
    for (const auth of [null, ...auths]) {
      const dir = mkdtempSync(path.join(tmpdir(), "keyward-bench-nginx-"));
      for (const f of readdirSync(path.join(ROOT, "deploy", "nginx"))) copyFileSync(path.join(ROOT, "deploy", "nginx", f), path.join(dir, f));
      const port = auth ? ports.nginx : ports.nginxBare;
      let conf = readFileSync(path.join(dir, "nginx.conf"), "utf8")
        .replace("server 127.0.0.1:3000;", `server ${auth ? auth[1] : `127.0.0.1:${ports.keyward}`};`)
        .replace("server 127.0.0.1:8081;", `server 127.0.0.1:${ports.upstream};`)
        .replace("listen 127.0.0.1:8080;", `listen 127.0.0.1:${port};`);
      if (!auth) conf = conf.replaceAll("include keyward-protect.conf;", 'proxy_http_version 1.1; proxy_set_header Connection "";').replace("include keyward-auth.conf;", "");
      writeFileSync(path.join(dir, "nginx.conf"), conf);
      writeFileSync(path.join(dir, "keyward-root-key.conf"), readFileSync(path.join(dir, "keyward-root-key.conf"), "utf8").replace("kwr_REPLACE_WITH_YOUR_ROOT_KEY", root));
      mkdirSync(path.join(dir, "tmp"));
      const child = spawn(nginx, ["-p", dir, "-e", path.join(dir, "error.log"), "-c", path.join(dir, "nginx.conf"), "-g", "daemon off;"], { stdio: "ignore" });
      try {
        for (let i = 0; i < 100 && !(await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false)); i++) await sleep(50);
        const url = `http://127.0.0.1:${port}/things`;
        await load(url, 10, make, 2);
        const processes = { nginx: childPids(child.pid), upstream: [floor.pid], ...(auth ? { auth: [auth[2]] } : {}) };
        const r = { load: loadAverage(), ...(await load(url, 10, make, DURATION, processes)) };
        const total = r.cpu.nginx + r.cpu.upstream + (r.cpu.auth ?? 0) + r.cpu.client;
        r.cpuTotal = total;
        bare ??= r;
        rows.push([
          round,
          auth ? `NGINX + auth_request to ${auth[0]}` : "NGINX, no auth",
          fmt(r.rps, 0),
          fmt(r.p99, 2),
          fmt(r.rps / bare.rps, 2),
          fmt(r.cpu.nginx, 0),
          auth ? fmt(r.cpu.auth, 0) : "",
          fmt(r.cpu.upstream, 0),
          fmt(r.cpu.client, 0),
          fmt(total, 0),
          // What the CPU alone allows: the machine's two cores spent on the same requests.
          fmt(bare.cpuTotal / total, 2),
          r.load,
          r.errors,
        ]);
      } finally {
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  console.log("\n### NGINX in front of a tiny upstream (10 connections, cached key; CPU in us per request)\n");
  console.log(table(["round", "setup", "req/s", "p99 ms", "x no auth", "nginx", "auth", "upstream", "client", "all", "x no auth by CPU", "load avg", "errors"], rows));
}

/** `npm run verifier` (dist/server/verifier.mjs) on the bench's database. */
async function startVerifier(target, env) {
  // BENCH_VERIFIER_ARGS: more node flags for the verifier, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const flags = [...VERIFIER_FLAGS, ...(process.env.BENCH_VERIFIER_ARGS ?? "").split(" ").filter(Boolean)];
  const child = await startChild(process.execPath, [...flags, "dist/server/verifier.mjs"], { env: { DATABASE_URL: target.url, KEYWARD_VERIFIER_PORT: String(ports.verifier), KEYWARD_BIND: "127.0.0.1", ...SECRETS, ...env } });
  // NGINX started by root runs its workers as nobody, outside the verifier's group.
  if (env.KEYWARD_VERIFIER_SOCKET) chmodSync(env.KEYWARD_VERIFIER_SOCKET, 0o666);
  return child;
}

/** The verifier's RSS with every key cached, started as `npm run verifier` starts it (its node flags from package.json). */
async function verifierMemory(target, secrets, root) {
  const verifier = await startVerifier(target, { KEYWARD_KEY_CACHE_TTL_MS: "3600000", KEYWARD_USAGE_FLUSH_MS: "1000", KEYWARD_AUTH_FAILURE_LIMIT: "1000000000" });
  try {
    const rss = () => memoryKiB(verifier.pid).rss / 1024;
    const idle = rss();
    const url = `http://127.0.0.1:${ports.verifier}/v1/authorize`;
    let i = 0;
    const make = (r) => ({ ...r, headers: { "x-keyward-root-key": root, "x-api-key": secrets[i++ % secrets.length] } });
    const cpu0 = cpuMs([verifier.pid]);
    const result = await autocannon({ url, connections: 10, amount: secrets.length, requests: [{ setupRequest: make }] });
    const burst = rss();
    const usPerKey = ((cpuMs([verifier.pid]) - cpu0) * 1000) / secrets.length;
    // Then steady state: usage flushed (every second here), the burst's garbage collected.
    await sleep(5000);
    await autocannon({ url, connections: 2, amount: 2000, requests: [{ setupRequest: make }] });
    await sleep(3000);
    console.log(`\n### Standalone verifier memory, ${secrets.length} distinct keys through its cache\n`);
    console.log(
      table(
        ["node flags", "started MB", "right after MB", "8 s later MB (all cached, usage flushed)", "us per first-seen key", "non-2xx", "load avg"],
        [[VERIFIER_FLAGS.join(" ") || "(none)", fmt(idle), fmt(burst), fmt(rss()), fmt(usPerKey, 0), result.non2xx ?? 0, loadAverage()]],
      ),
    );
  } finally {
    await stopChild(verifier);
  }
}

await main();
