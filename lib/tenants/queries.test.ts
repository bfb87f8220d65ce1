// The super user's overview of every tenant is a fixed number of grouped statements: with 20
// tenants it makes as many as with 2 (it used to make 3 per tenant), and its numbers are the
// ones a per-tenant count gives.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "../../tests/db";
import { createKeys, createTenant } from "../../tests/factory";
import { snapshot } from "../metrics";
import { countingKeysWhere } from "../api-keys/where";
import { setTenantKeyLimit } from "./mutations";
import { tenantOverview } from "./queries";

/** Statements the overview sends (Prisma's query events, which lib/db/prisma.ts counts). */
async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const before = snapshot().db_queries_total ?? 0;
  const result = await work();
  return { result, statements: (snapshot().db_queries_total ?? 0) - before };
}

describe("tenantOverview", () => {
  let t: SeededDb;
  beforeEach(async () => {
    t = await seededDb("tenant-overview");
  });
  afterEach(async () => {
    await t.close();
  });

  it("makes the same few statements for 2 tenants and for 20, and counts what a per-tenant query counts", async () => {
    expect(await t.db.tenant.count()).toBe(2);
    const small = await statementsOf(() => tenantOverview(t.db));
    expect(small.result).toHaveLength(2);
    expect(small.statements).toBeGreaterThan(0);
    expect(small.statements).toBeLessThanOrEqual(5);

    const admin = t.fx.users.admin;
    const now = new Date();
    for (let i = 0; i < 18; i++) {
      const tenant = await createTenant(t.db, {
        name: `Tenant ${String(i).padStart(2, "0")}`,
        slug: `tenant-${i}`,
        keyLimit: 10,
        groups: [{ name: "Keys", type: "tenant_api_key", scopes: "api_keys:read", description: "" }],
      });
      await t.db.membership.create({ data: { tenantId: tenant.id, userId: admin.id, role: "admin" } });
      await createKeys(
        t.db,
        tenant.id,
        Array.from({ length: i % 4 }, (_, k) => ({
          groupId: tenant.groups.Keys,
          name: `Key ${k}`,
          lastUsedAt: k === 0 ? new Date(now.getTime() - i * 60_000) : null,
          revokedAt: k === 2 ? now : null,
        })),
      );
      // Every other tenant has an audit event (its limit changed).
      if (i % 2 === 0) {
        const ctx = userContext(tenant.id, admin);
        expect((await setTenantKeyLimit(t.db, { actor: ctx.actor, requestId: ctx.requestId }, tenant.id, { keyLimit: 20 + i })).ok).toBe(true);
      }
    }

    const large = await statementsOf(() => tenantOverview(t.db, now));
    expect(large.result).toHaveLength(20);
    expect(large.statements).toBe(small.statements);

    // The numbers match the old per-tenant reads.
    for (const row of large.result) {
      const [used, members, lastEvent, lastUse] = await Promise.all([
        t.db.apiKey.count({ where: countingKeysWhere(row.id, now) }),
        t.db.membership.count({ where: { tenantId: row.id } }),
        t.db.auditEvent.findFirst({ where: { tenantId: row.id }, orderBy: { seq: "desc" }, select: { createdAt: true } }),
        t.db.apiKey.findFirst({ where: { tenantId: row.id, lastUsedAt: { not: null } }, orderBy: { lastUsedAt: "desc" }, select: { lastUsedAt: true } }),
      ]);
      const times = [lastEvent?.createdAt, lastUse?.lastUsedAt].filter((d): d is Date => !!d).map((d) => d.getTime());
      const tenant = await t.db.tenant.findUniqueOrThrow({ where: { id: row.id } });
      expect(row, row.name).toEqual({
        id: tenant.id,
        name: tenant.name,
        keyLimit: tenant.keyLimit,
        used,
        members,
        lastActivity: times.length ? new Date(Math.max(...times)).toISOString() : null,
      });
    }
    expect(large.result.map((r) => r.name)).toEqual([...large.result.map((r) => r.name)].sort());
  });
});
