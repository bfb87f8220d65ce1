// Bad rate limits and credits (issue 13): negative, zero, fractional and absurd values, a
// window given twice, a refill without credits: field errors, nothing saved, on create and on
// a PATCH. Runs on SQLite and, in the PostgreSQL phase, on PostgreSQL (tests/db.ts).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mutableState, seededDb, userContext, type SeededDb } from "../../tests/db";
import { createApiKey, updateApiKey } from "../api-keys/mutations";

const BAD: [string, Record<string, unknown>, string][] = [
  ["rateLimits", { rateLimits: [{ limit: -1, windowSeconds: 60 }] }, "Rate limit must be at least 1."],
  ["rateLimits", { rateLimits: [{ limit: 0, windowSeconds: 60 }] }, "Rate limit must be at least 1."],
  ["rateLimits", { rateLimits: [{ limit: 10, windowSeconds: 0 }] }, "Rate limit window (seconds) must be at least 1."],
  ["rateLimits", { rateLimits: [{ limit: 10, windowSeconds: 1.5 }] }, "Rate limit window (seconds) must be a whole number."],
  ["rateLimits", { rateLimits: [{ limit: 10, windowSeconds: 365 * 86_400 }] }, "Rate limit window (seconds) must be at most 2,678,400."],
  ["rateLimits", { rateLimits: [{ limit: 1e12, windowSeconds: 60 }] }, "Rate limit must be at most 1,000,000,000."],
  ["rateLimits", { rateLimits: [{ limit: 1, windowSeconds: 60 }, { limit: 2, windowSeconds: 60 }] }, "Each rate limit window must have its own length."],
  ["rateLimits", { rateLimits: "100/s" }, "Rate limits must be a list of {limit, windowSeconds}."],
  ["credits", { credits: 2.5 }, "Credits must be a whole number."],
  ["credits", { credits: -3 }, "Credits must be at least 0."],
  ["credits", { credits: "50" }, "Credits must be a whole number."],
  ["creditsRefill", { credits: 5, creditsRefill: { amount: 0, interval: "daily" } }, "Refill amount must be at least 1."],
  ["creditsRefill", { credits: 5, creditsRefill: { amount: 5, interval: "weekly" } }, "Refill must be daily or monthly."],
  ["creditsRefill", { credits: 5, creditsRefill: { amount: 5, interval: "monthly" } }, "A monthly refill needs a day of the month (1-31)."],
  ["creditsRefill", { credits: 5, creditsRefill: { amount: 5, interval: "monthly", dayOfMonth: 32 } }, "Refill day of month must be at most 31."],
  ["creditsRefill", { creditsRefill: { amount: 5, interval: "daily" } }, "A refill needs credits: set Credits too."],
];

describe("rate limit and credit validation", () => {
  let t: SeededDb;
  beforeEach(async () => {
    t = await seededDb("limits-validation");
  });
  afterEach(async () => {
    await t.close();
  });

  it("create: each bad value is a field error and nothing is saved", async () => {
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const before = await mutableState(t);
    for (const [field, input, message] of BAD) {
      const result = await createApiKey(t.db, ctx, { name: "Bad limits", groupId: t.fx.groups.acmeFull.id, ...input });
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("validation");
        expect(result.error.fieldErrors?.[field], JSON.stringify(input)).toContain(message);
      }
    }
    expect(await mutableState(t)).toBe(before);
  });

  it("PATCH: each bad value is a field error and the key keeps its limits", async () => {
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const created = await createApiKey(t.db, ctx, { name: "Good limits", groupId: t.fx.groups.acmeFull.id, rateLimits: [{ limit: 5, windowSeconds: 1 }], credits: 7 });
    if (!created.ok) throw new Error(created.error.message);
    const before = await mutableState(t);
    // The key has credits, so a refill alone is fine here; taking them away while keeping one is not.
    const patches: [string, Record<string, unknown>][] = [
      ...BAD.slice(0, -1).map(([field, input]) => [field, input] as [string, Record<string, unknown>]),
      ["creditsRefill", { credits: null, creditsRefill: { amount: 5, interval: "daily" } }],
    ];
    for (const [field, input] of patches) {
      const result = await updateApiKey(t.db, ctx, created.value.key.id, input, { partial: true });
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(Object.keys(result.error.fieldErrors ?? {})).toEqual([field]);
    }
    expect(await mutableState(t)).toBe(before);
    const key = await t.db.apiKey.findUniqueOrThrow({ where: { id: created.value.key.id } });
    expect(key).toMatchObject({ rateLimits: '[{"limit":5,"windowSeconds":1}]', credits: 7 });
  });
});
