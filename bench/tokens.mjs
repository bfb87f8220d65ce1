#!/usr/bin/env node
// bench:tokens: verifying a signed token (ES256 JWT) in Keyward against verifying an opaque key,
// same server, same run, and an offline jose verify loop (no Keyward at all) as the floor.
// `npm run bench:tokens` (node --import tsx). By hand, not in CI. BENCH_DIST_DIR=.next-e2e reuses
// the e2e build.
//
// Keyward answers a token from the signature (cached public key) plus its jti's recorded state,
// from memory while the caches are trustworthy (lib/tokens/token-cache.ts), else one lookup; a
// key from its HMAC through the key cache. Forward-auth and /v1/whoami are what is compared.
import { createLocalJWKSet, jwtVerify } from "jose";
import { ensureBuild, fmt, loadTest, log, machine, prepareDatabase, startServer, table } from "./lib/common.mjs";
import { seedBenchKeys } from "./lib/keys.mjs";

const PORT = Number(process.env.BENCH_PORT || 3296);
const DURATION = Number(process.env.BENCH_DURATION || 5);

const load = (url, connections, headers, seconds = DURATION) => loadTest(url, { connections, seconds, make: () => ({ headers }) });

async function offlineLoop(token, jwks, seconds = 3) {
  const keySet = createLocalJWKSet(jwks);
  const end = Date.now() + seconds * 1000;
  let n = 0;
  while (Date.now() < end) {
    await jwtVerify(token, keySet, { issuer: "keyward", audience: "keyward", algorithms: ["ES256"] });
    n++;
  }
  return n / seconds;
}

async function main() {
  log(`bench:tokens on ${JSON.stringify(machine())}`);
  ensureBuild();
  const file = prepareDatabase("tokens.db");
  // A key in Acme's "Full access" and a root key for every tenant.
  const {
    secrets: [secret],
    root,
  } = await seedBenchKeys(file, [{ name: "bench" }], { root: true });
  const server = await startServer({ port: PORT, dbFile: file, env: { KEYWARD_AUTH_FAILURE_LIMIT: "1000000000" } });
  try {
    const issued = await fetch(`${server.base}/v1/tokens`, { method: "POST", headers: { "x-api-key": secret, "content-type": "application/json" }, body: JSON.stringify({ expiresIn: "1h" }) });
    if (issued.status !== 201) throw new Error(`POST /v1/tokens: ${issued.status} ${await issued.text()}`);
    const { token } = await issued.json();
    const jwks = await (await fetch(`${server.base}/.well-known/jwks.json`)).json();
    const cases = [
      ["forward-auth", "opaque key", `${server.base}/v1/authorize`, { "x-keyward-root-key": root, "x-api-key": secret }],
      ["forward-auth", "signed token", `${server.base}/v1/authorize`, { "x-keyward-root-key": root, authorization: `Bearer ${token}` }],
      ["/v1/whoami", "opaque key", `${server.base}/v1/whoami`, { "x-api-key": secret }],
      ["/v1/whoami", "signed token", `${server.base}/v1/whoami`, { authorization: `Bearer ${token}` }],
    ];
    for (const [, , url, headers] of cases) await load(url, 10, headers, 1); // warm-up
    const rows = [];
    for (const [endpoint, credential, url, headers] of cases) {
      const r = await load(url, 10, headers);
      rows.push([endpoint, credential, 10, fmt(r.rps, 0), fmt(r.p99, 2), r.errors]);
    }
    const offline = await offlineLoop(token, jwks);
    rows.push(["offline jose jwtVerify (floor)", "signed token", "1 loop", fmt(offline, 0), "n/a", 0]);
    console.log("\n### Token vs key verification (req/s, p99 ms)\n");
    console.log(table(["endpoint", "credential", "conns", "req/s", "p99 ms", "errors"], rows));
  } finally {
    await server.stop();
  }
}

await main();
