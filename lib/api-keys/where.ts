import type { Prisma } from "@/lib/generated/prisma/client";

/** Only authorization groups of this type may be given to keys. */
export const KEY_GROUP_TYPE = "tenant_api_key";

/** Keys that count against the tenant limit: active and not expired. */
export function countingKeysWhere(tenantId: string, now: Date): Prisma.ApiKeyWhereInput {
  return { tenantId, status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}
