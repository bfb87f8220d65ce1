import type { Db } from "@/lib/db/prisma";
import { KEY_GROUP_TYPE } from "@/lib/api-keys/where";

/** The tenant's service accounts with their owner and how many keys they have, by name. */
export function listServiceAccounts(db: Db, tenantId: string) {
  return db.serviceAccount.findMany({
    where: { tenantId },
    select: { id: true, name: true, description: true, createdAt: true, owner: { select: { id: true, name: true, email: true } }, _count: { select: { apiKeys: true } } },
    orderBy: { name: "asc" },
  });
}

export function listEnvironments(db: Db, tenantId: string) {
  return db.environment.findMany({ where: { tenantId }, select: { id: true, name: true, _count: { select: { apiKeys: true } } }, orderBy: { name: "asc" } });
}

/** The tenant's members, for the owner field (the owner must be one). */
export function tenantMembers(db: Db, tenantId: string) {
  return db.user.findMany({ where: { memberships: { some: { tenantId } } }, select: { id: true, name: true, email: true }, orderBy: { name: "asc" } });
}

/**
 * One service account with its keys (newest first, with last used) and the group of its newest
 * active key: what "+ Create Key" pre-fills (the seed's rotation procedure).
 */
export async function serviceAccountDetail(db: Db, tenantId: string, id: string, now = new Date()) {
  const account = await db.serviceAccount.findFirst({
    where: { id, tenantId },
    select: { id: true, name: true, description: true, ownerUserId: true, owner: { select: { name: true, email: true } } },
  });
  if (!account) return null;
  const keys = await db.apiKey.findMany({
    where: { tenantId, serviceAccountId: id },
    select: { id: true, name: true, prefix: true, status: true, expiresAt: true, lastUsedAt: true, createdAt: true, groupId: true, group: { select: { name: true, type: true } }, environment: { select: { name: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
  });
  const newestActive = keys.find((k) => k.status === "active" && (!k.expiresAt || k.expiresAt > now) && k.group.type === KEY_GROUP_TYPE);
  return { account, keys, prefillGroupId: newestActive?.groupId ?? null };
}

/** The choices of the key forms' and the key list's Service account and Environment selects. */
export async function keyOwnerOptions(db: Db, tenantId: string) {
  const [serviceAccounts, environments] = await Promise.all([
    db.serviceAccount.findMany({ where: { tenantId }, select: { id: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }] }),
    db.environment.findMany({ where: { tenantId }, select: { id: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }] }),
  ]);
  return { serviceAccounts, environments };
}
