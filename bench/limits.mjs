#!/usr/bin/env node
// bench:limits: what a key's rate limit costs a verification (issue 13), on the standalone
// verifier (dist/server/verifier.mjs) and SQLite, in one run. `npm run bench:limits`.
// Runs alternate (BENCH_ROUNDS, default 5) and report medians: the machine may be shared.
//  1. In memory: GET /v1/whoami with a key without limits vs one with a rate limit (too high to
//     refuse) and credits (too many to run out), at 10 and 50 connections: the ratio.
//  2. With Redis (a redis-server started here on loopback): the limited key, req/s and p99 at 10
//     and 50 connections, against a floor in the same run: a node:http server doing one bare
//     Redis INCR per request (ioredis), and the INCR round trip itself measured alone.
import Redis from "ioredis";
import { SECRETS, buildServer, fmt, loadTest, log, machine, median, prepareDatabase, sleep, startChild, startVerifier, stats, stopChild, table } from "./lib/common.mjs";
import { seedBenchKeys } from "./lib/keys.mjs";

const PORT = Number(process.env.BENCH_PORT || 3270);
const DURATION = Number(process.env.BENCH_DURATION || 5);
const ports = { verifier: PORT, redisVerifier: PORT + 1, floor: PORT + 2, redis: PORT + 3 };

/** Two keys in Acme's "Full access": one without limits, one with limits too high to refuse. */
async function seed(file) {
  const huge = 1_000_000_000;
  const rateLimits = [{ limit: huge, windowSeconds: 60 }, { limit: huge, windowSeconds: 1 }];
  const { secrets } = await seedBenchKeys(file, [
    { name: "bench plain" },
    { name: "bench limited", limits: { rateLimits, credits: huge, creditsRefill: null } },
  ]);
  return { plain: secrets[0], limited: secrets[1] };
}

const verifier = (port, file, env = {}) => startVerifier({ port, databaseUrl: `file:${file}`, env });

const FLOOR = `
import http from "node:http";
import Redis from "ioredis";
const redis = new Redis(process.argv[1]);
let n = 0;
http.createServer(async (req, res) => {
  const value = await redis.incr("bench:floor:" + (n++ % 1000));
  const body = JSON.stringify({ value });
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(process.argv[2]), "127.0.0.1", () => console.log("floor ready"));
`;

const load = (url, connections, headers = {}, seconds = DURATION) => loadTest(url, { connections, seconds, make: () => ({ headers }) });

/** The machine is shared: runs of A and B alternate (ROUNDS times, DURATION/ROUNDS s each) and each reports its median. */
async function alternate(a, b) {
  const rounds = Number(process.env.BENCH_ROUNDS || 5);
  const runs = { a: [], b: [] };
  for (let i = 0; i < rounds; i++) {
    runs.a.push(await a(Math.max(1, Math.round(DURATION / 2))));
    runs.b.push(await b(Math.max(1, Math.round(DURATION / 2))));
  }
  const summary = (list) => ({ rps: median(list.map((r) => r.rps)), p99: median(list.map((r) => r.p99)), errors: list.reduce((n, r) => n + r.errors, 0) });
  return [summary(runs.a), summary(runs.b)];
}

/**
 * verify() itself, in this process, on a cached key: CPU per call without and with limits,
 * alternating, medians. Independent of HTTP and far less of the machine's other load.
 */
async function inProcess(file, plain, limited) {
  process.env.DATABASE_URL = `file:${file}`;
  process.env.KEYWARD_HASH_SECRET = SECRETS.KEYWARD_HASH_SECRET;
  const { createKeyLookup } = await import("../lib/verify/lookup.ts");
  const { verify } = await import("../lib/verify/verify.ts");
  const verifier = { lookup: createKeyLookup(`file:${file}`) };
  const options = { clientIp: "127.0.0.1" };
  const N = 50_000;
  const time = async (secret) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const result = await verify(verifier, secret, options);
      if (!result.ok) throw new Error(`verify refused: ${result.code}`);
    }
    return Number(process.hrtime.bigint() - started) / 1e3 / N;
  };
  await time(plain);
  await time(limited);
  const a = [];
  const b = [];
  for (let round = 0; round < 7; round++) {
    a.push(await time(plain));
    b.push(await time(limited));
  }
  await verifier.lookup.close();
  return { plain: median(a), limited: median(b) };
}

async function main() {
  log("machine", JSON.stringify(machine()));
  buildServer();
  const file = prepareDatabase("limits.db");
  const { plain, limited } = await seed(file);
  const cpu = await inProcess(file, plain, limited);
  console.log(`\n### verify() in process, cached key: ${fmt(cpu.plain, 2)} µs without limits, ${fmt(cpu.limited, 2)} µs with two windows and credits (${fmt(cpu.plain / cpu.limited, 2)}x the calls per second)\n`);
  const rows = [];
  let mem = null;
  try {
    mem = await verifier(ports.verifier, file);
    const url = `http://127.0.0.1:${ports.verifier}/v1/whoami`;
    await load(url, 10, { "x-api-key": plain }); // warm up
    for (const connections of [10, 50]) {
      const [without, withLimit] = await alternate(
        (seconds) => load(url, connections, { "x-api-key": plain }, seconds),
        (seconds) => load(url, connections, { "x-api-key": limited }, seconds),
      );
      rows.push([`in memory, ${connections} conns`, fmt(without.rps, 0), fmt(withLimit.rps, 0), fmt(withLimit.p99, 2), fmt(withLimit.rps / without.rps, 2), without.errors + withLimit.errors]);
    }
  } finally {
    await stopChild(mem);
  }
  console.log("\n### Rate limit and credits in memory (GET /v1/whoami, standalone verifier)\n");
  console.log(table(["run", "no limits req/s", "limited req/s", "limited p99 ms", "ratio", "errors"], rows));

  let redisServer = null;
  let shared = null;
  let floor = null;
  const redisRows = [];
  try {
    redisServer = await startChild("redis-server", ["--port", String(ports.redis), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { ready: "Ready to accept connections" });
    const redisUrl = `redis://127.0.0.1:${ports.redis}`;
    const client = new Redis(redisUrl);
    const samples = [];
    for (let i = 0; i < 5000; i++) {
      const started = process.hrtime.bigint();
      await client.incr("bench:rtt");
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    client.disconnect();
    const rtt = stats(samples);
    shared = await verifier(ports.redisVerifier, file, { KEYWARD_REDIS_URL: redisUrl });
    floor = await startChild(process.execPath, ["--input-type=module", "-e", FLOOR, redisUrl, String(ports.floor)], { ready: "floor ready" });
    const url = `http://127.0.0.1:${ports.redisVerifier}/v1/whoami`;
    await load(url, 10, { "x-api-key": limited });
    for (const connections of [10, 50]) {
      const [keyward, bare] = await alternate(
        (seconds) => load(url, connections, { "x-api-key": limited }, seconds),
        (seconds) => load(`http://127.0.0.1:${ports.floor}/`, connections, {}, seconds),
      );
      redisRows.push([`${connections} conns`, fmt(keyward.rps, 0), fmt(keyward.p99, 2), fmt(bare.rps, 0), fmt(bare.p99, 2), fmt(keyward.rps / bare.rps, 2), keyward.errors + bare.errors]);
    }
    console.log(`\n### With Redis (one EVALSHA per verification); a bare INCR round trip alone: p50 ${fmt(rtt.p50, 3)} ms, p95 ${fmt(rtt.p95, 3)} ms\n`);
    console.log(table(["load", "Keyward req/s", "Keyward p99 ms", "HTTP + bare INCR req/s", "its p99 ms", "ratio", "errors"], redisRows));
  } finally {
    await stopChild(floor);
    await stopChild(shared);
    await stopChild(redisServer);
  }
  await sleep(10);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
