import type { Prisma } from "@/lib/generated/prisma/client";

/** Only authorization groups of this type may be given to keys. */
export const KEY_GROUP_TYPE = "tenant_api_key";

/** Keys that count against the tenant limit: active and not expired. */
export function countingKeysWhere(tenantId: string, now: Date): Prisma.ApiKeyWhereInput {
  return { tenantId, status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

const DAY = 86_400_000;
/** A key unused for this many days is flagged idle. */
export const IDLE_AFTER_DAYS = 30;

/** Active, unexpired keys that deserve attention: unused for 30 days, or due for rotation. */
export function flagWhere(flag: "idle" | "needs_rotation", now: Date, rotationPolicyDays: number): Prisma.ApiKeyWhereInput {
  const live: Prisma.ApiKeyWhereInput = { status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  if (flag === "idle") {
    const cutoff = new Date(now.getTime() - IDLE_AFTER_DAYS * DAY);
    return { AND: [live, { OR: [{ lastUsedAt: { lt: cutoff } }, { lastUsedAt: null, createdAt: { lt: cutoff } }] }] };
  }
  const cutoff = new Date(now.getTime() - rotationPolicyDays * DAY);
  return { AND: [live, { OR: [{ rotatedAt: { lt: cutoff } }, { rotatedAt: null, createdAt: { lt: cutoff } }] }] };
}

