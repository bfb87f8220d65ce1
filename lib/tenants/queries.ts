import "server-only";
import type { Db } from "@/lib/db/prisma";
import { COUNTING_STATUSES } from "@/lib/api-keys/where";

/** What the key pages need to know of the signed-in tenant. */
export async function tenantKeySettings(db: Db, tenantId: string) {
  return db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true, keyLimit: true, rotationPolicyDays: true } });
}

/** The tenant's members with one of `roles` (owners first): the people a read-only user can ask. */
export async function tenantMembersWithRoles(db: Db, tenantId: string, roles: readonly string[]) {
  const members = await db.membership.findMany({
    where: { tenantId, role: { in: [...roles] } },
    select: { role: true, user: { select: { name: true, email: true } } },
    orderBy: [{ role: "desc" }, { createdAt: "asc" }],
    take: 10,
  });
  return members.map((m) => ({ name: m.user.name, email: m.user.email, role: m.role }));
}

/** Every tenant's id and name, by name (the root key form's tenant choice). */
export async function listTenantNames(db: Db) {
  return db.tenant.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
}

export type TenantOverviewRow = { id: string; name: string; keyLimit: number; used: number; members: number; lastActivity: string | null };

/**
 * The super user's overview of every tenant: keys in use against the limit, members, and the
 * last activity (newest audit event or key use). Two statements, however many tenants there are
 * (lib/tenants/queries.test.ts counts them), instead of three per tenant.
 */
export async function tenantOverview(db: Db, now = new Date()): Promise<TenantOverviewRow[]> {
  // Keys in use and members are filtered relation counts; the last activity is one grouped
  // statement in SQL (lib/db/prisma.ts's Db has no groupBy).
  const [tenants, activity] = await Promise.all([
    db.tenant.findMany({
      orderBy: { name: "asc" },
      select: { id: true, name: true, keyLimit: true, _count: { select: { memberships: true, apiKeys: { where: { status: { in: [...COUNTING_STATUSES] }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } } } } },
    }),
    db.$queryRaw<{ tenantId: string; at: Date | string | null }[]>`
      SELECT "tenantId", MAX("at") AS "at" FROM (
        SELECT "tenantId", MAX("createdAt") AS "at" FROM "AuditEvent" GROUP BY "tenantId"
        UNION ALL
        SELECT "tenantId", MAX("lastUsedAt") AS "at" FROM "ApiKey" WHERE "lastUsedAt" IS NOT NULL GROUP BY "tenantId"
      ) AS "activity" GROUP BY "tenantId"`,
  ]);
  // SQLite returns the text it stores ("2026-06-15T12:00:00.000+00:00"); PostgreSQL a Date.
  const lastBy = new Map(activity.map((row) => [row.tenantId, row.at === null ? null : new Date(row.at).toISOString()]));
  return tenants.map((tenant) => ({
    id: tenant.id,
    name: tenant.name,
    keyLimit: tenant.keyLimit,
    used: tenant._count.apiKeys,
    members: tenant._count.memberships,
    lastActivity: lastBy.get(tenant.id) ?? null,
  }));
}
