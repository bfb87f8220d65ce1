// The key rules are written once (where.ts): the list filters (flagWhere), each key's warnings
// (keyWarnings) and the tenant-wide counts (tenantKeyCounts, one SQL statement) must agree, at
// the boundaries too, and the counts follow every change at once (they are not cached).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "../../tests/db";
import { createKeys } from "../../tests/factory";
import { createApiKey, revokeApiKey, rotateApiKey } from "./mutations";
import { tenantKeyCounts } from "./queries";
import { DAY_MS, IDLE_AFTER_DAYS, countingKeysWhere, flagWhere, keyWarnings } from "./where";
import { EXPIRING_SOON_MS } from "./schemas";

describe("key rules", () => {
  let t: SeededDb;
  beforeEach(async () => {
    t = await seededDb("key-rules");
  });
  afterEach(async () => {
    await t.close();
  });

  it("counts, filters and per-key warnings agree, one millisecond either side of every cutoff", async () => {
    const tenantId = t.fx.globex.id;
    const now = new Date("2026-06-15T12:00:00.000Z");
    const policy = 90;
    const at = (ms: number) => new Date(now.getTime() + ms);
    const idle = -IDLE_AFTER_DAYS * DAY_MS;
    const rotation = -policy * DAY_MS;
    const rows = [];
    for (const d of [-1, 0, 1]) {
      // Idle: last used (or created, never used) exactly at, before and after the cutoff.
      rows.push({ createdAt: at(-365 * DAY_MS), rotatedAt: at(-DAY_MS), lastUsedAt: at(idle + d) });
      rows.push({ createdAt: at(idle + d), rotatedAt: null, lastUsedAt: null });
      // Due for rotation: rotated (or created, never rotated) around the policy's cutoff.
      rows.push({ createdAt: at(-400 * DAY_MS), rotatedAt: at(rotation + d), lastUsedAt: at(-DAY_MS) });
      rows.push({ createdAt: at(rotation + d), rotatedAt: null, lastUsedAt: at(-DAY_MS) });
      // Expiring soon, and expired, around their cutoffs.
      rows.push({ createdAt: at(-DAY_MS), rotatedAt: null, lastUsedAt: at(-DAY_MS), expiresAt: at(EXPIRING_SOON_MS + d) });
      rows.push({ createdAt: at(-DAY_MS), rotatedAt: null, lastUsedAt: at(-DAY_MS), expiresAt: at(d) });
    }
    // A revoked key that is idle, due and expiring soon: no warning, not counted, not revocable.
    rows.push({ createdAt: at(-400 * DAY_MS), rotatedAt: null, lastUsedAt: null, expiresAt: at(DAY_MS), revokedAt: at(-DAY_MS) });
    const groupId = t.fx.groups.globexAutomation.id;
    await createKeys(t.db, tenantId, rows.map((row, i) => ({ groupId, name: `Boundary ${i}`, ...row })));
    const keys = await t.db.apiKey.findMany({ where: { tenantId } });
    const warned = (w: string) => keys.filter((k) => keyWarnings(k, policy, now).includes(w as never)).length;
    const filtered = (w: "expiring_soon" | "idle" | "needs_rotation") =>
      t.db.apiKey.count({ where: { AND: [{ tenantId }, flagWhere(w, now, policy)] } });

    const counts = await tenantKeyCounts(t.db, tenantId, now, policy);
    expect(counts.used).toBe(await t.db.apiKey.count({ where: countingKeysWhere(tenantId, now) }));
    expect(counts.revocable).toBe(keys.filter((k) => k.status === "active").length);
    expect(counts.warnings).toEqual({
      expiringSoon: await filtered("expiring_soon"),
      idle: await filtered("idle"),
      needsRotation: await filtered("needs_rotation"),
    });
    expect(counts.warnings).toEqual({ expiringSoon: warned("expiring_soon"), idle: warned("idle"), needsRotation: warned("needs_rotation") });
    // The boundary itself is inside: exactly 30 days idle is idle, exactly 7 days left is "soon".
    expect(counts.warnings.idle).toBeGreaterThanOrEqual(4);
    expect(keyWarnings({ status: "active", expiresAt: at(EXPIRING_SOON_MS), lastUsedAt: at(idle), createdAt: at(rotation), rotatedAt: null }, policy, now))
      .toEqual(["expiring_soon", "idle", "needs_rotation"]);
    expect(keyWarnings({ status: "active", expiresAt: at(EXPIRING_SOON_MS + 1), lastUsedAt: at(idle + 1), createdAt: at(rotation + 1), rotatedAt: null }, policy, now))
      .toEqual([]);
  });

  it("the counts follow this instance's create, rotate and revoke at once", async () => {
    const tenantId = t.fx.acme.id;
    const ctx = userContext(tenantId, t.fx.users.admin);
    const now = () => new Date();
    const first = await tenantKeyCounts(t.db, tenantId, now(), 90);

    const created = await createApiKey(t.db, ctx, { name: "Counted", groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(created.error.message);
    const afterCreate = await tenantKeyCounts(t.db, tenantId, now(), 90);
    expect(afterCreate.used).toBe(first.used + 1);
    expect(afterCreate.revocable).toBe(first.revocable + 1);

    // A key made 100 days ago is due for rotation (policy: 90 days) until it is rotated.
    const aged = await createApiKey(t.db, { ...ctx, now: new Date(Date.now() - 100 * 86_400_000) }, { name: "Aged", groupId: t.fx.groups.acmeFull.id });
    if (!aged.ok) throw new Error(aged.error.message);
    const due = await tenantKeyCounts(t.db, tenantId, now(), 90);
    expect(due.warnings.needsRotation).toBe(afterCreate.warnings.needsRotation + 1);
    const rotated = await rotateApiKey(t.db, ctx, aged.value.key.id, {});
    if (!rotated.ok) throw new Error(rotated.error.message);
    const afterRotate = await tenantKeyCounts(t.db, tenantId, now(), 90);
    expect(afterRotate.warnings.needsRotation).toBe(afterCreate.warnings.needsRotation);

    expect((await revokeApiKey(t.db, ctx, created.value.key.id)).ok).toBe(true);
    expect((await tenantKeyCounts(t.db, tenantId, now(), 90)).used).toBe(first.used + 1);
  });

  it("a change made elsewhere (another instance, another process) shows at once", async () => {
    const tenantId = t.fx.acme.id;
    const before = await tenantKeyCounts(t.db, tenantId, new Date(), 90);
    expect(before.used).toBeGreaterThan(0);
    await t.db.apiKey.updateMany({ where: { tenantId, status: "active" }, data: { status: "revoked", revokedAt: new Date() } });
    const after = await tenantKeyCounts(t.db, tenantId, new Date(), 90);
    expect(after.used).toBe(0);
    expect(after.revocable).toBe(0);
  });
});
