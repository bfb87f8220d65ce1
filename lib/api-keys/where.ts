import type { Prisma } from "@/lib/generated/prisma/client";
import { EXPIRING_SOON_MS } from "./schemas";

// The key rules, written once: which keys count against the limit, which expire soon, which are
// idle or due for rotation. Each rule is here in the two forms the code needs (a Prisma filter
// for lists and counts, a check of one row for its warnings), built on the same cutoffs;
// tenantKeyCounts (queries.ts) states them once more in SQL, and where.test.ts checks that
// all three agree at the boundaries.

/** Only authorization groups of this type may be given to keys. */
export const KEY_GROUP_TYPE = "tenant_api_key";

export const DAY_MS = 86_400_000;
/** A key unused for this many days is flagged idle. */
export const IDLE_AFTER_DAYS = 30;

/** The instants the rules compare against at `now`. */
export function ruleCutoffs(now: Date, rotationPolicyDays: number) {
  return {
    now,
    /** Expiring at or before this (and after now): expiring soon. */
    soon: new Date(now.getTime() + EXPIRING_SOON_MS),
    /** Last used (or, never used, created) at or before this: idle. */
    idleSince: new Date(now.getTime() - IDLE_AFTER_DAYS * DAY_MS),
    /** Rotated (or, never rotated, created) at or before this: due for rotation. */
    rotateSince: new Date(now.getTime() - rotationPolicyDays * DAY_MS),
  };
}

/** Active and not expired: the keys that authenticate, and the only ones warned about. */
export function liveKeysWhere(now: Date): Prisma.ApiKeyWhereInput {
  return { status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

/**
 * Statuses that hold a place of the tenant's limit: a disabled key is switched off for a while,
 * not given up, so re-enabling it can never fail for want of a place.
 */
export const COUNTING_STATUSES = ["active", "disabled"] as const;

/** Keys that count against the tenant limit: active or disabled, and not expired. */
export function countingKeysWhere(tenantId: string, now: Date): Prisma.ApiKeyWhereInput {
  return { tenantId, status: { in: [...COUNTING_STATUSES] }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

export type KeyWarning = "expiring_soon" | "idle" | "needs_rotation";

/** Live keys with the warning `flag`. */
export function flagWhere(flag: KeyWarning, now: Date, rotationPolicyDays: number): Prisma.ApiKeyWhereInput {
  const c = ruleCutoffs(now, rotationPolicyDays);
  const live = liveKeysWhere(now);
  if (flag === "expiring_soon") return { AND: [live, { expiresAt: { gt: now, lte: c.soon } }] };
  if (flag === "idle") {
    return { AND: [live, { OR: [{ lastUsedAt: { lte: c.idleSince } }, { lastUsedAt: null, createdAt: { lte: c.idleSince } }] }] };
  }
  return { AND: [live, { OR: [{ rotatedAt: { lte: c.rotateSince } }, { rotatedAt: null, createdAt: { lte: c.rotateSince } }] }] };
}

/** One key's warnings (the same rules as flagWhere): none unless the key is live. */
export function keyWarnings(
  key: { status: string; expiresAt: Date | null; lastUsedAt: Date | null; createdAt: Date; rotatedAt: Date | null },
  rotationPolicyDays: number,
  now = new Date(),
): KeyWarning[] {
  if (key.status !== "active" || (key.expiresAt && key.expiresAt <= now)) return [];
  const c = ruleCutoffs(now, rotationPolicyDays);
  const warnings: KeyWarning[] = [];
  if (key.expiresAt && key.expiresAt <= c.soon) warnings.push("expiring_soon");
  if ((key.lastUsedAt ?? key.createdAt) <= c.idleSince) warnings.push("idle");
  if ((key.rotatedAt ?? key.createdAt) <= c.rotateSince) warnings.push("needs_rotation");
  return warnings;
}
