import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "@/lib/db/prisma";
import { fail, type Failure } from "@/lib/result";
import { countingKeysWhere } from "./where";

/**
 * What fills Tenant.keyLimit: live keys (active, unexpired) and live signed tokens (unrevoked,
 * unexpired). Issuing either checks this inside its transaction, after lockTenant, so a key and a
 * token racing for the last place cannot both get it.
 */
export function liveTokensWhere(tenantId: string, now: Date): Prisma.IssuedTokenWhereInput {
  return { tenantId, revokedAt: null, expiresAt: { gt: now } };
}

export type LimitUsage = { used: number; keys: number; tokens: number };

export async function limitUsage(db: Db | Tx, tenantId: string, now: Date): Promise<LimitUsage> {
  const [keys, tokens] = await Promise.all([
    db.apiKey.count({ where: countingKeysWhere(tenantId, now) }),
    db.issuedToken.count({ where: liveTokensWhere(tenantId, now) }),
  ]);
  return { used: keys + tokens, keys, tokens };
}

/** The limit_reached failure when no place is left, else null. Call under the tenant lock. */
export async function limitFailure(tx: Tx, tenantId: string, now: Date): Promise<Failure | null> {
  const [tenant, usage] = await Promise.all([
    tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { keyLimit: true } }),
    limitUsage(tx, tenantId, now),
  ]);
  if (usage.used < tenant.keyLimit) return null;
  // The message of keys alone is unchanged; with tokens it says what fills the places.
  const message = usage.tokens
    ? `Key limit reached: ${usage.used}/${tenant.keyLimit} (${usage.keys} keys, ${usage.tokens} signed ${usage.tokens === 1 ? "token" : "tokens"}). Revoke a key or token, or ask support to raise the limit.`
    : `Key limit reached: ${usage.used}/${tenant.keyLimit} keys. Revoke a key or ask support to raise the limit.`;
  return fail("limit_reached", message);
}
