import type { Db } from "@/lib/db/prisma";
import { EXPIRING_SOON_MS } from "./schemas";
import { countingKeysWhere, flagWhere } from "./where";
import { config } from "@/lib/config";

/**
 * The tenant-wide counts every key list page shows: usage against the limit, the keys Revoke
 * all would revoke, and the three warnings. Each is a COUNT over the tenant's keys; together they
 * were most of the extra time of a page with 10,000 keys (bench:list). So an instance keeps them
 * for a few seconds per tenant, and drops them when a key of the tenant changes: on this
 * instance after the transaction (as the key cache does), on the others when they hear the
 * change (PostgreSQL's LISTEN/NOTIFY, lib/db/key-change-bus.ts). Only a write made outside
 * Keyward, or by another process on the same SQLite file, waits for KEYWARD_COUNT_CACHE_TTL_MS.
 * The limit check that Generate makes is never served from here: it counts inside the create
 * transaction, under the tenant's lock.
 */
export type TenantKeyCounts = {
  used: number;
  revocable: number;
  warnings: { expiringSoon: number; idle: number; needsRotation: number };
};

const TTL_MS = config().countCacheTtlMs;
const MAX_TENANTS = 10_000;

type Entry = { counts: TenantKeyCounts; storedAt: number; rotationPolicyDays: number };
const globalForCounts = globalThis as unknown as {
  keywardTenantCounts?: { byTenant: Map<string, Entry>; evictions: number };
};
const cache = (globalForCounts.keywardTenantCounts ??= { byTenant: new Map(), evictions: 0 });

/** After any change to a tenant's keys: the next page counts again. */
export function evictTenantCounts(tenantId: string) {
  cache.evictions++;
  cache.byTenant.delete(tenantId);
}

export function clearTenantCounts() {
  cache.evictions++;
  cache.byTenant.clear();
}

/** The counts, read now (uncached). */
export async function countTenantKeys(db: Db, tenantId: string, now: Date, rotationPolicyDays: number): Promise<TenantKeyCounts> {
  const soon = new Date(now.getTime() + EXPIRING_SOON_MS);
  const [used, revocable, expiringSoon, idle, needsRotation] = await Promise.all([
    db.apiKey.count({ where: countingKeysWhere(tenantId, now) }),
    db.apiKey.count({ where: { tenantId, status: "active" } }),
    db.apiKey.count({ where: { tenantId, status: "active", expiresAt: { gt: now, lte: soon } } }),
    db.apiKey.count({ where: { AND: [{ tenantId }, flagWhere("idle", now, rotationPolicyDays)] } }),
    db.apiKey.count({ where: { AND: [{ tenantId }, flagWhere("needs_rotation", now, rotationPolicyDays)] } }),
  ]);
  return { used, revocable, warnings: { expiringSoon, idle, needsRotation } };
}

export async function tenantKeyCounts(db: Db, tenantId: string, now: Date, rotationPolicyDays: number): Promise<TenantKeyCounts> {
  const entry = cache.byTenant.get(tenantId);
  if (entry && entry.rotationPolicyDays === rotationPolicyDays && Math.abs(now.getTime() - entry.storedAt) <= TTL_MS) {
    return entry.counts;
  }
  // Counted while a change commits, the result may be from before it: stored only if nothing
  // was evicted meanwhile (as the key cache's generation does).
  const generation = cache.evictions;
  const counts = await countTenantKeys(db, tenantId, now, rotationPolicyDays);
  if (TTL_MS > 0 && cache.evictions === generation) {
    if (cache.byTenant.size >= MAX_TENANTS) {
      const oldest = cache.byTenant.keys().next().value;
      if (oldest !== undefined) cache.byTenant.delete(oldest);
    }
    cache.byTenant.set(tenantId, { counts, storedAt: now.getTime(), rotationPolicyDays });
  }
  return counts;
}
