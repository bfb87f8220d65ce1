// Rate limits and credits enforced by verify() on one process (issue 13): exact under
// concurrency, sliding windows, credits spent in memory and written in batches, refills on
// schedule (injected clock), and the key's refusals counted per day. Runs on SQLite and, in the
// PostgreSQL phase, on PostgreSQL (tests/db.ts).
import { describe, expect, it } from "vitest";
import { userContext, type SeededDb } from "../../tests/db";
import { setupVerifierDb } from "../../tests/helpers/verifier-db";
import { clearKeyCache } from "../api-keys/key-cache";
import { createApiKey, updateApiKey } from "../api-keys/mutations";
import { flushUsage } from "../verify/usage";
import { verify, type Verifier } from "../verify/verify";
import { resetMemoryLimits } from "./memory-store";
import { limitHeaders } from "./headers";

describe("rate limits and credits on one instance", () => {
  let t: SeededDb;
  let verifier: Verifier;
  setupVerifierDb("limits", (db, v) => ((t = db), (verifier = v)), { reset: resetMemoryLimits, teardown: flushUsage });

  async function keyWith(fields: Record<string, unknown>, at = new Date()) {
    const ctx = { ...userContext(t.fx.acme.id, t.fx.users.admin), now: at };
    const created = await createApiKey(t.db, ctx, { name: "Limited", groupId: t.fx.groups.acmeFull.id, ...fields });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    return created.value;
  }
  const at = (base: Date, ms: number) => ({ clientIp: "127.0.0.1", now: new Date(base.getTime() + ms) });

  it("1,000 concurrent verifications against 100 per minute: exactly 100 succeed, the rest get 429 with when to retry", async () => {
    const start = new Date(Date.UTC(2031, 0, 1, 12, 0, 0));
    const { secret } = await keyWith({ rateLimits: [{ limit: 100, windowSeconds: 60 }] });
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => verify(verifier, secret, at(start, i))));
    expect(results.filter((r) => r.ok)).toHaveLength(100);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(900);
    for (const r of refused) expect(r).toMatchObject({ status: 429, code: "rate_limited" });
    const first = refused[0];
    if (first.ok || !first.limit) throw new Error("no limit decision");
    // The whole quota was used in the first second of the slot: it frees up only as that slot
    // slides out of the window, from the start of the next slot on.
    expect(first.retryAfter).toBeGreaterThanOrEqual(59);
    expect(limitHeaders(first.limit)).toMatchObject({ "RateLimit-Policy": '"60s";q=100;w=60', RateLimit: expect.stringMatching(/^"60s";r=0;t=\d+$/) });
    // Sliding, not fixed: right after the slot boundary the previous slot still counts almost whole.
    expect((await verify(verifier, secret, at(start, 60_000 + 10))).ok).toBe(false);
    // Half-way into the next slot, half of the previous one has slid out: 50 more fit, not 100.
    const half = await Promise.all(Array.from({ length: 80 }, () => verify(verifier, secret, at(start, 90_000))));
    expect(half.filter((r) => r.ok)).toHaveLength(50);
    await flushUsage();
    const usage = await t.db.apiKeyUsageDaily.findFirstOrThrow({ where: { day: "2031-01-01", key: { name: "Limited" } } });
    expect(usage).toMatchObject({ successCount: 150, rateLimitedCount: 931, usageExceededCount: 0 });
  });

  it("several windows: each holds (3 per second and 5 per hour)", async () => {
    const start = new Date(Date.UTC(2031, 0, 1, 12, 0, 0));
    const { secret } = await keyWith({ rateLimits: [{ limit: 3, windowSeconds: 1 }, { limit: 5, windowSeconds: 3600 }] });
    const second1 = await Promise.all(Array.from({ length: 5 }, () => verify(verifier, secret, at(start, 0))));
    expect(second1.filter((r) => r.ok)).toHaveLength(3);
    const second3 = await Promise.all(Array.from({ length: 5 }, () => verify(verifier, secret, at(start, 2_500))));
    expect(second3.filter((r) => r.ok)).toHaveLength(2);
    const refused = second3.find((r) => !r.ok);
    expect(refused && !refused.ok && refused.limit && !refused.limit.ok && refused.limit.reason === "rate_limited" && refused.limit.window.name).toBe("3600s");
  });

  it("the group's windows apply unless the key has its own; [] on the key means none", async () => {
    await t.db.authorizationGroup.update({ where: { id: t.fx.groups.acmeFull.id }, data: { rateLimits: JSON.stringify([{ limit: 2, windowSeconds: 60 }]) } });
    const start = new Date(Date.UTC(2031, 0, 1, 12, 0, 0));
    const inherits = await keyWith({});
    const own = await keyWith({ name: "Own limits", rateLimits: [{ limit: 4, windowSeconds: 60 }] });
    const none = await keyWith({ name: "No limits", rateLimits: [] });
    const count = async (secret: string) => (await Promise.all(Array.from({ length: 10 }, () => verify(verifier, secret, at(start, 0))))).filter((r) => r.ok).length;
    expect(await count(inherits.secret)).toBe(2);
    expect(await count(own.secret)).toBe(4);
    expect(await count(none.secret)).toBe(10);
  });

  it("credits of 50: exactly 50 of 80 concurrent verifications succeed, then USAGE_EXCEEDED; the column follows at the flush; cost spends more", async () => {
    const start = new Date(Date.UTC(2031, 0, 1, 12, 0, 0));
    const { key, secret } = await keyWith({ credits: 50 });
    const results = await Promise.all(Array.from({ length: 80 }, () => verify(verifier, secret, at(start, 0))));
    expect(results.filter((r) => r.ok)).toHaveLength(50);
    for (const r of results.filter((r) => !r.ok)) expect(r).toMatchObject({ status: 429, code: "usage_exceeded" });
    // Nothing written per request: the column still says 50 until the flush.
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).credits).toBe(50);
    await flushUsage();
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).credits).toBe(0);
    // A fresh lookup (another process, a restart) reads 0 and refuses: refused, not revoked.
    clearKeyCache();
    resetMemoryLimits();
    expect(await verify(verifier, secret, at(start, 10))).toMatchObject({ ok: false, code: "usage_exceeded", key: { status: "active" } });

    const costly = await keyWith({ name: "Costly", credits: 25 });
    expect(await verify(verifier, costly.secret, { ...at(start, 0), cost: 10 })).toMatchObject({ ok: true, credits: 15 });
    expect(await verify(verifier, costly.secret, { ...at(start, 0), cost: 10 })).toMatchObject({ ok: true, credits: 5 });
    expect(await verify(verifier, costly.secret, { ...at(start, 0), cost: 10 })).toMatchObject({ ok: false, code: "usage_exceeded" });
    expect(await verify(verifier, costly.secret, { ...at(start, 0), cost: 5 })).toMatchObject({ ok: true, credits: 0 });
    await flushUsage();
    const usage = await t.db.apiKeyUsageDaily.findFirstOrThrow({ where: { day: "2031-01-01", keyId: key.id } });
    expect(usage).toMatchObject({ successCount: 50, usageExceededCount: 31 });
  });

  it("a daily refill tops the credits up at midnight UTC; a monthly one on its day (the last day of a shorter month)", async () => {
    const created = new Date(Date.UTC(2031, 0, 30, 22, 0, 0));
    const { key, secret } = await keyWith({ credits: 2, creditsRefill: { amount: 3, interval: "daily" } }, created);
    const burst = async (ms: number, n: number) =>
      (await Promise.all(Array.from({ length: n }, () => verify(verifier, secret, at(created, ms))))).filter((r) => r.ok).length;
    expect(await burst(0, 5)).toBe(2);
    const refused = await verify(verifier, secret, at(created, 1000));
    // Retry-After points at the refill: two hours less a second.
    expect(refused).toMatchObject({ ok: false, code: "usage_exceeded", retryAfter: 2 * 3600 - 1 });
    await flushUsage();
    expect(await burst(2 * 3600_000, 5)).toBe(3);
    await flushUsage();
    expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ credits: 0, creditsRefilledAt: "2031-01-31" });

    // Monthly on the 31st, created on January 30th: refilled on the 31st; February has 28 days,
    // so its refill comes on the 28th.
    const monthly = await keyWith({ name: "Monthly", credits: 1, creditsRefill: { amount: 2, interval: "monthly", dayOfMonth: 31 } }, created);
    const feb = (day: number) => ({ clientIp: "127.0.0.1", now: new Date(Date.UTC(2031, 1, day, 12)) });
    expect(await verify(verifier, monthly.secret, { clientIp: null, now: created })).toMatchObject({ ok: true, credits: 0 });
    expect(await verify(verifier, monthly.secret, feb(1))).toMatchObject({ ok: true, credits: 1 });
    expect(await verify(verifier, monthly.secret, feb(1))).toMatchObject({ ok: true, credits: 0 });
    expect(await verify(verifier, monthly.secret, feb(27))).toMatchObject({ ok: false, code: "usage_exceeded" });
    expect(await verify(verifier, monthly.secret, feb(28))).toMatchObject({ ok: true, credits: 1 });
  });

  it("setting credits again replaces them: spends counted before the change no longer apply", async () => {
    const start = new Date();
    const { key, secret } = await keyWith({ credits: 10 }, start);
    for (let i = 0; i < 4; i++) expect((await verify(verifier, secret, { clientIp: null })).ok).toBe(true);
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const updated = await updateApiKey(t.db, ctx, key.id, { credits: 100 }, { partial: true });
    expect(updated.ok).toBe(true);
    await flushUsage();
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).credits).toBe(100);
    expect(await verify(verifier, secret, { clientIp: null })).toMatchObject({ ok: true, credits: 99 });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetKeyId: key.id, action: "api_key.updated" } });
    expect(JSON.parse(audit.details!).changes.credits).toEqual({ from: 10, to: 100 });
  });
});
