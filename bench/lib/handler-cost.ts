// In-process cost of the /v1 route handlers themselves, without Next.js's HTTP pipeline:
// calls app/v1/health/route.ts and app/v1/whoami/route.ts directly with a NextRequest, in a
// tight sequential loop, and prints µs per call as JSON. Used by bench/verify.mjs to split a
// request's cost into "Next.js per request" (same for both routes) and "our handler".
// Run: DATABASE_URL=file:... KEYWARD_HASH_SECRET=... node --conditions=react-server --import tsx bench/lib/handler-cost.ts <secret>
import { performance } from "node:perf_hooks";
import { NextRequest } from "next/server";

const NONCE = "bench-nonce";
process.env.KEYWARD_PEER_NONCE = NONCE;

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

async function main() {
  const secret = process.argv[2];
  const health = (await import("../../app/v1/health/route")).GET as unknown as Handler;
  const whoami = (await import("../../app/v1/whoami/route")).GET as unknown as Handler;
  const params = { params: Promise.resolve({}) };
  const request = (path: string, key: string | null) =>
    new NextRequest(`http://127.0.0.1${path}`, {
      headers: { "x-keyward-peer": `${NONCE} 127.0.0.1`, ...(key ? { "x-api-key": key } : {}) },
    });
  const malformed = "kw_" + "a".repeat(38);

  async function measure(label: string, make: () => NextRequest, handler: Handler, expect: number, n: number) {
    for (let i = 0; i < 500; i++) await (await handler(make(), params)).text();
    const response = await handler(make(), params);
    if (response.status !== expect) throw new Error(`${label}: HTTP ${response.status}, expected ${expect}: ${await response.text()}`);
    const started = performance.now();
    for (let i = 0; i < n; i++) await (await handler(make(), params)).text();
    return ((performance.now() - started) * 1000) / n;
  }

  const n = Number(process.env.BENCH_HANDLER_N || 20_000);
  const out: Record<string, number> = {};
  // Interleaved rounds, median per label: robust against other processes on a shared machine.
  const rounds: Record<string, number[]> = { request: [], health: [], whoami: [], malformed: [] };
  for (let round = 0; round < 5; round++) {
    rounds.request.push(await measure("request", () => request("/v1/health", secret), async () => new Response("x"), 200, n / 5));
    rounds.health.push(await measure("health", () => request("/v1/health", null), health, 200, n / 5));
    rounds.whoami.push(await measure("whoami", () => request("/v1/whoami", secret), whoami, 200, n / 5));
    rounds.malformed.push(await measure("malformed", () => request("/v1/whoami", malformed), whoami, 401, n / 5));
  }
  for (const [label, values] of Object.entries(rounds)) out[label] = values.sort((a, b) => a - b)[2];
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
