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
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { ROOT, SECRETS, ensureBuild, fmt, log, machine, prepareDatabase, readMetrics, sleep, startServer, table } from "./lib/common.mjs";
import { createKeys } from "../tests/factory.ts";
import { createBenchRootKey, tenantGroup, withBenchDb } from "./lib/keys.mjs";
import { generateApiKeySecret } from "../lib/api-keys/key-format.ts";

const PORT = Number(process.env.BENCH_PORT || 3290);
const DURATION = Number(process.env.BENCH_DURATION || 5);
const KEYS = Number(process.env.BENCH_KEYS || 100_000);
const ports = { keyward: PORT, floor: PORT + 1, upstream: PORT + 2, nginx: PORT + 3, nginxBare: PORT + 4, verifier: PORT + 5 };

// ---------------------------------------------------------------------------------------------
// Data: KEYS known keys in Acme's "Full access" group and one root key, by the test data factory
// in multi-row INSERTs (the domain's create would take hours for 100,000 keys and is not what is measured).
function seedKeys(file) {
  return withBenchDb(file, async (db) => {
    const { tenantId, groupId } = await tenantGroup(db, "acme");
    const keys = await createKeys(db, tenantId, Array.from({ length: KEYS }, (_, i) => ({ groupId, name: `bench ${i}` })));
    return { secrets: keys.map((key) => key.secret), root: await createBenchRootKey(db) };
  });
}

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

function startChild(args, ready, env = {}) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (d) => {
      output += d;
      if (output.includes(ready)) resolve(child);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited ${code}: ${output}`)));
  });
}

async function stopChild(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

// ---------------------------------------------------------------------------------------------
/** autocannon with a request per call from `make` (rotating keys); returns req/s and p99 (ms). */
async function load(url, connections, make, seconds = DURATION) {
  let i = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, ...make(i++) }) }],
  });
  const errors = result.errors + result.timeouts + (result.non2xx ?? 0);
  return { rps: result.requests.average, p99: result.latency.p99, errors };
}

const rotating = (secrets) => (i) => secrets[i % secrets.length];

async function main() {
  log(`bench:verify on ${JSON.stringify(machine())}`);
  ensureBuild();
  // The hot path and the verifier are compiled apart from Next's build (npm run build does both).
  const build = spawnSync(process.execPath, ["scripts/build-server.mjs"], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(build.stderr);
  const file = prepareDatabase("verify-hot-path.db");
  const target = { file, url: `file:${file}` };
  log(`seeding ${KEYS} keys ...`);
  const { secrets, root } = await seedKeys(target.file);
  const one = [secrets[0]];
  const children = [];
  const rows = [];
  try {
    if (process.env.BENCH_ONLY === "memory") return await verifierMemory(target, secrets, root);
    const floor = await startChild(["--input-type=module", "-e", FLOOR, target.file, SECRETS.KEYWARD_HASH_SECRET, String(ports.floor), String(ports.upstream)], "floor ready");
    children.push(floor);

    const endpoints = (base, keyOf) => ({
      "verify endpoint": [`${base}/v1/keys/verify`, (i) => ({ method: "POST", headers: { authorization: `Bearer ${root}`, "content-type": "application/json" }, body: JSON.stringify({ key: keyOf(i) }) })],
      "forward-auth": [`${base}/v1/authorize`, (i) => ({ method: "GET", headers: { "x-keyward-root-key": root, "x-api-key": keyOf(i) } })],
      "/v1/whoami": [`${base}/v1/whoami`, (i) => ({ method: "GET", headers: { "x-api-key": keyOf(i) } })],
    });

    for (const scenario of ["cached", "rotation"]) {
      const keyOf = scenario === "cached" ? rotating(one) : rotating(secrets);
      // Rotation: the cache off, so every request is a lookup (100,000 keys would otherwise be cached after one pass).
      const env = { KEYWARD_AUTH_FAILURE_LIMIT: "1000000000", ...(scenario === "rotation" ? { KEYWARD_KEY_CACHE_TTL_MS: "0" } : {}) };
      const server = await startServer({ port: ports.keyward, dbFile: target.file, env });
      const verifier = await startVerifier(target, env);
      const verifierBase = `http://127.0.0.1:${ports.verifier}`;
      try {
        const floorPath = scenario === "cached" ? "/map" : "/select";
        const floorUrl = `http://127.0.0.1:${ports.floor}${floorPath}`;
        await load(floorUrl, 10, (i) => ({ headers: { "x-api-key": keyOf(i) } }), 2);
        const targets = [...Object.entries(endpoints(server.base, keyOf)), ...Object.entries(endpoints(verifierBase, keyOf)).map(([name, e]) => [`verifier: ${name}`, e])];
        for (const [, [url, make]] of targets) await load(url, 10, make, 2); // warm-up
        for (const connections of [10, 50]) {
          const floorResult = await load(floorUrl, connections, (i) => ({ headers: { "x-api-key": keyOf(i) } }));
          rows.push([scenario, connections, `floor: HMAC + ${scenario === "cached" ? "Map" : "prepared SELECT"}`, fmt(floorResult.rps, 0), fmt(floorResult.p99, 2), "1.00", floorResult.errors]);
          for (const [name, [url, make]] of targets) {
            const r = await load(url, connections, make);
            rows.push([scenario, connections, name, fmt(r.rps, 0), fmt(r.p99, 2), fmt(r.rps / floorResult.rps, 2), r.errors]);
          }
        }
        if (scenario === "cached") await queryCosts(server.base);
        if (scenario === "cached") await nginxComparison(root, one[0]);
      } finally {
        await server.stop();
        await stopChild(verifier);
      }
    }
    console.log("\n### Throughput (req/s), p99 latency (ms), ratio to the floor\n");
    console.log(table(["keys", "conns", "server", "req/s", "p99 ms", "x floor", "errors"], rows));
    await verifierMemory(target, secrets, root);
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

/** deploy/nginx with auth_request to Keyward vs the same NGINX with the auth lines removed. */
async function nginxComparison(root, secret) {
  const nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((f) => existsSync(f));
  if (!nginx) {
    console.log("\n(NGINX not installed: apt-get install -y nginx; comparison skipped)");
    return;
  }
  const results = [];
  for (const auth of [null, ports.keyward, ports.verifier]) {
    const dir = mkdtempSync(path.join(tmpdir(), "keyward-bench-nginx-"));
    for (const file of readdirSync(path.join(ROOT, "deploy", "nginx"))) copyFileSync(path.join(ROOT, "deploy", "nginx", file), path.join(dir, file));
    const port = auth ? ports.nginx : ports.nginxBare;
    let conf = readFileSync(path.join(dir, "nginx.conf"), "utf8")
      .replace("server 127.0.0.1:3000;", `server 127.0.0.1:${auth ?? ports.keyward};`)
      .replace("server 127.0.0.1:8081;", `server 127.0.0.1:${ports.upstream};`)
      .replace("listen 127.0.0.1:8080;", `listen 127.0.0.1:${port};`);
    if (!auth) conf = conf.replaceAll("include keyward-protect.conf;", "proxy_http_version 1.1; proxy_set_header Connection \"\";").replace("include keyward-auth.conf;", "");
    writeFileSync(path.join(dir, "nginx.conf"), conf);
    writeFileSync(path.join(dir, "keyward-root-key.conf"), readFileSync(path.join(dir, "keyward-root-key.conf"), "utf8").replace("kwr_REPLACE_WITH_YOUR_ROOT_KEY", root));
    mkdirSync(path.join(dir, "tmp"));
    const child = spawn(nginx, ["-p", dir, "-e", path.join(dir, "error.log"), "-c", path.join(dir, "nginx.conf"), "-g", "daemon off;"], { stdio: "ignore" });
    try {
      for (let i = 0; i < 100 && !(await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false)); i++) await sleep(50);
      await load(`http://127.0.0.1:${port}/things`, 10, () => ({ headers: { "x-api-key": secret } }), 2);
      const name = auth === null ? "NGINX, no auth" : `NGINX + auth_request to ${auth === ports.keyward ? "Keyward" : "the verifier"}`;
      results.push([name, await load(`http://127.0.0.1:${port}/things`, 10, () => ({ headers: { "x-api-key": secret } }))]);
    } finally {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const bare = results[0][1].rps;
  console.log("\n### NGINX in front of a tiny upstream (10 connections, cached key)\n");
  console.log(table(["setup", "req/s", "p99 ms", "x no auth", "errors"], results.map(([name, r]) => [name, fmt(r.rps, 0), fmt(r.p99, 2), fmt(r.rps / bare, 2), r.errors])));
}

/** `npm run verifier` (dist/server/verifier.mjs) on the bench's database. */
function startVerifier(target, env) {
  return startChild(["dist/server/verifier.mjs"], "ready", { DATABASE_URL: target.url, KEYWARD_VERIFIER_PORT: String(ports.verifier), KEYWARD_BIND: "127.0.0.1", ...SECRETS, ...env });
}

async function verifierMemory(target, secrets, root) {
  const verifier = await startVerifier(target, { KEYWARD_KEY_CACHE_TTL_MS: "3600000", KEYWARD_USAGE_FLUSH_MS: "1000", KEYWARD_AUTH_FAILURE_LIMIT: "1000000000" });
  try {
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${verifier.pid}/status`, "utf8"))[1]) / 1024;
    const idle = rss();
    const url = `http://127.0.0.1:${ports.verifier}/v1/authorize`;
    let i = 0;
    const result = await autocannon({ url, connections: 10, amount: secrets.length, requests: [{ setupRequest: (r) => ({ ...r, headers: { "x-keyward-root-key": root, "x-api-key": secrets[i++ % secrets.length] } }) }] });
    const burst = rss();
    // Then steady state: usage flushed (every second here), the burst's garbage collected.
    await sleep(5000);
    await autocannon({ url, connections: 2, amount: 2000, requests: [{ setupRequest: (r) => ({ ...r, headers: { "x-keyward-root-key": root, "x-api-key": secrets[i++ % secrets.length] } }) }] });
    await sleep(3000);
    console.log("\n### Standalone verifier memory\n");
    console.log(table(["state", "RSS MB"], [
      ["started", fmt(idle)],
      [`right after ${secrets.length} distinct keys (${result.non2xx ?? 0} non-2xx)`, fmt(burst)],
      ["8 s later, all still cached, usage flushed", fmt(rss())],
    ]));
  } finally {
    await stopChild(verifier);
  }
}

await main();
