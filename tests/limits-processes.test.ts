// Limits and credits with real processes (issue 13): the standalone verifier on a test database
// (SQLite, and PostgreSQL in that phase). One instance: 1,000 concurrent requests against 100 per
// minute let exactly 100 through; credits survive a SIGTERM whole and a kill -9 minus at most
// the last flush interval. Two instances sharing one redis-server started here: exactly what
// one would allow; Redis stopped mid-run: rate limits fail open, credits closed (503), and both
// recover when it returns, without a restart. Ports 3200-3229 (verifiers), 6390-6399 (Redis).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "./db";
import { createApiKey } from "../lib/api-keys/mutations";
import { createTestRootKey } from "./helpers/hot-path-server";
import { startVerifier, type VerifierProcess } from "./helpers/verifier-process";
import { redisServer, type RedisProcess } from "./helpers/redis-process";

let t: SeededDb;
let root: string;
const running: VerifierProcess[] = [];
const port = (() => {
  let next = 3200 + Math.floor(Math.random() * 10) * 3;
  return () => next++;
})();

beforeAll(async () => {
  t = await seededDb("limits-processes");
  await t.db.tenant.updateMany({ data: { keyLimit: 1000 } });
  root = (await createTestRootKey(t, "Gateway")).secret;
}, 60_000);
afterEach(async () => {
  await Promise.all(running.splice(0).map((v) => v.stop()));
});
afterAll(async () => {
  await t?.close();
});

async function verifierOn(env: Record<string, string> = {}) {
  const v = await startVerifier(t.url, port(), env);
  running.push(v);
  return v;
}
async function newKey(input: Record<string, unknown>) {
  const created = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name: `Proc ${Math.random()}`, groupId: t.fx.groups.acmeFull.id, ...input });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}
async function check(v: VerifierProcess, key: string): Promise<{ status: number; code: string }> {
  const response = await fetch(`${v.url}/v1/keys/verify`, {
    method: "POST",
    headers: { Authorization: `Bearer ${root}`, "Content-Type": "application/json" },
    body: JSON.stringify({ key }),
  });
  const body = await response.json();
  return { status: response.status, code: body.code ?? body.error?.code };
}
/** `n` verifications at once, spread round-robin over `instances`: how many were VALID. */
async function burst(instances: VerifierProcess[], key: string, n: number) {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => check(instances[i % instances.length], key)));
  return results.filter((r) => r.code === "VALID").length;
}
const credits = async (id: string) => (await t.db.apiKey.findUniqueOrThrow({ where: { id } })).credits;
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
/** A burst that must fit in one slot of a 60 s window: not within 5 s of a minute's end. */
async function awayFromMinuteEnd() {
  await until(async () => Date.now() % 60_000 < 55_000, "the next minute", 10_000);
}

describe("one instance", () => {
  it("1,000 concurrent requests against 100 per minute: exactly 100 succeed", async () => {
    const v = await verifierOn();
    const { secret } = await newKey({ rateLimits: [{ limit: 100, windowSeconds: 60 }] });
    await awayFromMinuteEnd();
    expect(await burst([v], secret, 1000)).toBe(100);
  }, 60_000);

  it("SIGTERM writes every spent credit before exiting: nothing lost", async () => {
    const v = await verifierOn({ KEYWARD_USAGE_FLUSH_MS: "600000" });
    const { key, secret } = await newKey({ credits: 100 });
    expect(await burst([v], secret, 30)).toBe(30);
    expect(await credits(key.id)).toBe(100); // no write per request
    await v.stop();
    expect(await credits(key.id)).toBe(70);
  }, 60_000);

  it("kill -9 loses at most the last flush interval; a new process carries on from the database", async () => {
    const v = await verifierOn({ KEYWARD_USAGE_FLUSH_MS: "1000" });
    const { key, secret } = await newKey({ credits: 100 });
    expect(await burst([v], secret, 20)).toBe(20);
    await until(async () => (await credits(key.id)) === 80, "the first flush");
    expect(await burst([v], secret, 10)).toBe(10);
    v.child.kill("SIGKILL");
    await new Promise((resolve) => v.child.once("exit", resolve));
    const left = (await credits(key.id))!;
    expect(left).toBeGreaterThanOrEqual(70);
    expect(left).toBeLessThanOrEqual(80);
    const next = await verifierOn();
    expect(await burst([next], secret, 100)).toBe(left);
  }, 60_000);
});

describe("two instances sharing Redis", () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = redisServer(6390 + Math.floor(Math.random() * 10));
    await redis.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  // A generous timeout: 1,000 requests at once on a shared machine must not time out into the
  // fail-open fallback (which would count on its own); the outage test sees a refused connection.
  const env = () => ({ KEYWARD_REDIS_URL: redis.url, KEYWARD_REDIS_TIMEOUT_MS: "10000" });
  const pair = async () => [await verifierOn(env()), await verifierOn(env())];

  it("1,000 concurrent requests over both against 100 per minute: exactly 100 succeed; credits of 50: exactly 50", async () => {
    const instances = await pair();
    const limited = await newKey({ rateLimits: [{ limit: 100, windowSeconds: 60 }] });
    await awayFromMinuteEnd();
    expect(await burst(instances, limited.secret, 1000)).toBe(100);
    const paid = await newKey({ credits: 50 });
    expect(await burst(instances, paid.secret, 200)).toBe(50);
    // Both instances write their own spends: the column ends at 0, not at -50 or 25.
    await Promise.all(instances.map((v) => v.stop()));
    expect(await credits(paid.key.id)).toBe(0);
  }, 60_000);

  it("Redis stopped mid-run: rate limits fail open, credits closed (503); both recover when Redis returns, without a restart", async () => {
    const instances = await pair();
    const limited = await newKey({ rateLimits: [{ limit: 1000, windowSeconds: 60 }] });
    const paid = await newKey({ credits: 1000 });
    expect(await check(instances[0], limited.secret)).toMatchObject({ code: "VALID" });
    expect(await check(instances[1], paid.secret)).toMatchObject({ code: "VALID" });
    await redis.stop();
    for (const v of instances) {
      expect(await check(v, limited.secret)).toMatchObject({ status: 200, code: "VALID" });
      expect(await check(v, paid.secret)).toMatchObject({ status: 503, code: "unavailable" });
    }
    await redis.start();
    for (const v of instances) await until(async () => (await check(v, paid.secret)).code === "VALID", "service after Redis returned");
    expect(await check(instances[0], limited.secret)).toMatchObject({ code: "VALID" });
  }, 60_000);
});
