// A key's rate limits and credits over HTTP, on a real node:http server running
// server/hot-path.ts (with a nonce, so the /v1 gate is on) on a seeded database: 429 with
// Retry-After and the IETF RateLimit / RateLimit-Policy fields on /v1 and forward-auth;
// RATE_LIMITED with `reset` and USAGE_EXCEEDED from POST /v1/keys/verify, whose `cost` spends
// credits. Ports 3190-3199.
import http from "node:http";
import { createTestRootKey, serveHotPath } from "./helpers/hot-path-server";
import { setupVerifierDb } from "./helpers/verifier-db";
import { describe, expect, it } from "vitest";
import { userContext, type SeededDb } from "./db";
import { createApiKey } from "../lib/api-keys/mutations";
import { flushUsage } from "../lib/verify/usage";
import { resetMemoryLimits } from "../lib/rate-limits/memory-store";
import type { Verifier } from "../lib/verify/verify";

let t: SeededDb;
let verifier: Verifier;
let server: http.Server;
let base: string;
let root: string;

setupVerifierDb(
  "limits-http",
  async (db, v) => {
    t = db;
    verifier = v;
    ({ server, base } = await serveHotPath(verifier, { nonce: "limits-test-nonce", portFrom: 3190, ports: 10 }));
    root = (await createTestRootKey(t, "Gateway")).secret;
  },
  {
    perFile: true,
    reset: resetMemoryLimits,
    teardown: async () => {
      await new Promise((resolve) => server?.close(resolve));
      await flushUsage();
    },
  },
);

async function newKey(input: Record<string, unknown>) {
  const created = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name: `Limited ${Math.random()}`, groupId: t.fx.groups.acmeFull.id, ...input });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}
const authorize = (key: string) => fetch(`${base}/v1/authorize`, { headers: { "X-Keyward-Root-Key": root, "X-API-Key": key, "X-Real-IP": "203.0.113.9" } });
const verifyCall = (body: Record<string, unknown>) =>
  fetch(`${base}/v1/keys/verify`, { method: "POST", headers: { Authorization: `Bearer ${root}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("limits over HTTP", () => {
  it("/v1 routes and forward-auth answer 429 with Retry-After, RateLimit and RateLimit-Policy once the key's window is full", async () => {
    const { secret } = await newKey({ rateLimits: [{ limit: 3, windowSeconds: 3600 }, { limit: 100, windowSeconds: 1 }] });
    for (let i = 0; i < 2; i++) expect((await fetch(`${base}/v1/whoami`, { headers: { "X-API-Key": secret } })).status).toBe(200);
    expect((await authorize(secret)).status).toBe(200);
    for (const response of [await authorize(secret), await fetch(`${base}/v1/whoami`, { headers: { "X-API-Key": secret } })]) {
      expect(response.status).toBe(429);
      expect((await response.json()).error.code).toBe("rate_limited");
      const retry = Number(response.headers.get("retry-after"));
      // The full quota sits in the current slot: it frees up once the next slot has slid a third
      // (1 of 3) past it: between 20 and 80 minutes from now, depending on the minute of the hour.
      expect(retry).toBeGreaterThanOrEqual(1200);
      expect(retry).toBeLessThanOrEqual(4800);
      expect(response.headers.get("ratelimit-policy")).toBe('"3600s";q=3;w=3600, "1s";q=100;w=1');
      expect(response.headers.get("ratelimit")).toBe(`"3600s";r=0;t=${retry}`);
    }
  });

  it("the verify endpoint answers RATE_LIMITED with the reset time, spends `cost` and answers USAGE_EXCEEDED at zero", async () => {
    const limited = await newKey({ rateLimits: [{ limit: 1, windowSeconds: 60 }] });
    expect(await (await verifyCall({ key: limited.secret })).json()).toMatchObject({ valid: true, code: "VALID" });
    const refused = await verifyCall({ key: limited.secret });
    expect(refused.status).toBe(200);
    const body = await refused.json();
    expect(body).toMatchObject({ valid: false, code: "RATE_LIMITED", keyId: limited.key.id, rateLimit: { limit: 1, windowSeconds: 60, remaining: 0 } });
    const reset = Date.parse(body.reset);
    expect(reset).toBeGreaterThan(Date.now() + 1000);
    expect(reset).toBeLessThanOrEqual(Date.now() + 120_000);

    const paid = await newKey({ credits: 10 });
    expect(await (await verifyCall({ key: paid.secret, cost: 4 })).json()).toMatchObject({ valid: true, credits: { remaining: 6 } });
    expect(await (await verifyCall({ key: paid.secret, cost: 6 })).json()).toMatchObject({ valid: true, credits: { remaining: 0 } });
    expect(await (await verifyCall({ key: paid.secret })).json()).toMatchObject({ valid: false, code: "USAGE_EXCEEDED", credits: { remaining: 0 }, reset: null });
    const gate = await authorize(paid.secret);
    expect(gate.status).toBe(429);
    expect((await gate.json()).error.code).toBe("usage_exceeded");
    const bad = await verifyCall({ key: paid.secret, cost: 1.5 });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.fieldErrors.cost).toEqual(["cost must be a whole number."]);
  });
});
