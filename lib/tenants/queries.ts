import "server-only";
import type { Db } from "@/lib/db/prisma";
import { liveKeysWhere } from "@/lib/api-keys/where";

/** What the key pages need to know of the signed-in tenant. */
export async function tenantKeySettings(db: Db, tenantId: string) {
  return db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true, keyLimit: true, rotationPolicyDays: true } });
}

/** Every tenant's id and name, by name (the root key form's tenant choice). */
export async function listTenantNames(db: Db) {
  return db.tenant.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
}

export type TenantOverviewRow = { id: string; name: string; keyLimit: number; used: number; members: number; lastActivity: string | null };

/**
 * The super user's overview of every tenant: keys in use against the limit, members, and the
 * last activity (newest audit event or key use). Four grouped statements, however many tenants
 * there are (lib/tenants/queries.test.ts counts them), instead of three per tenant.
 */
export async function tenantOverview(db: Db, now = new Date()): Promise<TenantOverviewRow[]> {
  const [tenants, used, lastEvents, lastUses] = await Promise.all([
    db.tenant.findMany({
      orderBy: { name: "asc" },
      select: { id: true, name: true, keyLimit: true, _count: { select: { memberships: true } } },
    }),
    db.apiKey.groupBy({ by: ["tenantId"], where: liveKeysWhere(now), _count: { _all: true } }),
    db.auditEvent.groupBy({ by: ["tenantId"], _max: { createdAt: true } }),
    db.apiKey.groupBy({ by: ["tenantId"], where: { lastUsedAt: { not: null } }, _max: { lastUsedAt: true } }),
  ]);
  const usedBy = new Map(used.map((row) => [row.tenantId, row._count._all]));
  const eventBy = new Map(lastEvents.map((row) => [row.tenantId, row._max.createdAt]));
  const useBy = new Map(lastUses.map((row) => [row.tenantId, row._max.lastUsedAt]));
  return tenants.map((tenant) => {
    const times = [eventBy.get(tenant.id), useBy.get(tenant.id)].filter((d): d is Date => !!d).map((d) => d.getTime());
    return {
      id: tenant.id,
      name: tenant.name,
      keyLimit: tenant.keyLimit,
      used: usedBy.get(tenant.id) ?? 0,
      members: tenant._count.memberships,
      lastActivity: times.length ? new Date(Math.max(...times)).toISOString() : null,
    };
  });
}
