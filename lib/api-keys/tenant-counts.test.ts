// The key list's tenant-wide counts: a change made on this instance shows at once, a change made
// elsewhere (another instance, another process) within the cache's TTL (5 s), never later.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "../../tests/db";
import { createApiKey, revokeApiKey, rotateApiKey } from "./mutations";
import { clearTenantCounts, countTenantKeys, tenantKeyCounts } from "./tenant-counts";

describe("tenant key counts", () => {
  let t: SeededDb;
  beforeEach(async () => {
    t = await seededDb("tenant-counts");
    clearTenantCounts();
  });
  afterEach(async () => {
    await t.close();
  });

  it("match a fresh count, and follow this instance's create, rotate and revoke at once", async () => {
    const tenantId = t.fx.acme.id;
    const ctx = userContext(tenantId, t.fx.users.admin);
    const now = () => new Date();
    const first = await tenantKeyCounts(t.db, tenantId, now(), 90);
    expect(first).toEqual(await countTenantKeys(t.db, tenantId, now(), 90));

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
    expect(afterRotate).toEqual(await countTenantKeys(t.db, tenantId, now(), 90));

    expect((await revokeApiKey(t.db, ctx, created.value.key.id)).ok).toBe(true);
    expect((await tenantKeyCounts(t.db, tenantId, now(), 90)).used).toBe(first.used + 1);
  });

  it("a change made elsewhere shows once the 5-second TTL has passed", async () => {
    const tenantId = t.fx.acme.id;
    const start = new Date();
    const before = await tenantKeyCounts(t.db, tenantId, start, 90);
    // Another process revokes every active key: this instance's caches hear nothing of it.
    await t.db.apiKey.updateMany({ where: { tenantId, status: "active" }, data: { status: "revoked", revokedAt: start } });
    expect(await tenantKeyCounts(t.db, tenantId, new Date(start.getTime() + 4_000), 90)).toEqual(before);
    const later = await tenantKeyCounts(t.db, tenantId, new Date(start.getTime() + 5_001), 90);
    expect(later.used).toBe(0);
    expect(later.revocable).toBe(0);
  });
});
