import type { Prisma } from "@/lib/generated/prisma/client";
import { EXPIRING_SOON_MS } from "./schemas";
import { isExpiringSoon } from "./status";

// The key rules, written once: which keys count against the limit, which expire soon, which are
// idle or due for rotation. Each rule is here in the two forms the code needs (a Prisma filter
// for lists and counts, a check of one row for its warnings), built on the same cutoffs;
// tenantKeyCounts (queries.ts) states them once more in SQL, and where.test.ts checks that
// all three agree at the boundaries. "Expiring soon" is scaled to each key's lifetime
// (status.ts isExpiringSoon), which a Prisma filter cannot compute from two columns: the
// database narrows to live keys expiring within EXPIRING_SOON_MS (`soon`), a set bounded by
// the key limit, and isExpiringSoon picks among them (expiringSoonCandidates, soonIds).

/** Only authorization groups of this type may be given to keys. */
export const KEY_GROUP_TYPE = "tenant_api_key";

export const DAY_MS = 86_400_000;
/** A key unused for this many days is flagged idle. */
export const IDLE_AFTER_DAYS = 30;

/** The instants the rules compare against at `now`. */
export function ruleCutoffs(now: Date, rotationPolicyDays: number) {
  return {
    now,
    /** Expiring soon is only ever a key expiring at or before this (and after now). */
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

/** The only keys that may be expiring soon: live, expiring within EXPIRING_SOON_MS. */
export function expiringSoonCandidates(tenantId: string, now: Date): Prisma.ApiKeyWhereInput {
  return { AND: [{ tenantId }, liveKeysWhere(now), { expiresAt: { gt: now, lte: ruleCutoffs(now, 0).soon } }] };
}

/**
 * The ids soonIds found, as a filter: `id IN (ids)` and also the expiresAt range the ids were read
 * from (expiringSoonCandidates). The same rows, but the range lets the planner take the
 * (tenantId, expiresAt) index; with the ids alone SQLite read every active key's row through
 * (tenantId, status) to test ~1,000 ids at 10,000 keys (bench/README.md, the list page).
 */
export function expiringSoonWhere(now: Date, ids: readonly string[]): Prisma.ApiKeyWhereInput {
  return { expiresAt: { gt: now, lte: ruleCutoffs(now, 0).soon }, id: { in: [...ids] } };
}

/** Of the candidates' rows, the ids that are expiring soon (isExpiringSoon, the one rule). */
export function soonIds(
  candidates: { id: string; status: string; createdAt: Date; expiresAt: Date | null }[],
  now: Date,
): string[] {
  return candidates.filter((key) => isExpiringSoon(key, now.getTime())).map((key) => key.id);
}

/**
 * Live keys with the warning `flag`. `expiringSoon` is the ids soonIds found (needed only
 * for that flag; queries.ts expiringSoonIds reads them).
 */
export function flagWhere(
  flag: KeyWarning,
  now: Date,
  rotationPolicyDays: number,
  expiringSoon: readonly string[] = [],
): Prisma.ApiKeyWhereInput {
  const c = ruleCutoffs(now, rotationPolicyDays);
  const live = liveKeysWhere(now);
  if (flag === "expiring_soon") return { AND: [live, expiringSoonWhere(now, expiringSoon)] };
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
  if (isExpiringSoon(key, now.getTime())) warnings.push("expiring_soon");
  if ((key.lastUsedAt ?? key.createdAt) <= c.idleSince) warnings.push("idle");
  if ((key.rotatedAt ?? key.createdAt) <= c.rotateSince) warnings.push("needs_rotation");
  return warnings;
}
