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
// the key limit, and isExpiringSoon picks among them (expiringSoonCandidates, splitSoon).

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
 * The candidates (expiringSoonCandidates' rows) as the rule splits them: `ids` expiring soon, and
 * `others`, live keys in the same expiresAt range that are not yet (young keys near their end).
 */
export type ExpiringSoon = { ids: string[]; others: string[] };

/**
 * The expiring-soon keys as a filter, the same rows in either form: the expiresAt range the ids
 * were read from (so that the planner takes an expiresAt index; with `id IN` alone SQLite read
 * every active key's row), and of the two lists the shorter: `id IN (ids)`, or the live keys of
 * the range but `others`. Prisma's cost grows with every bound id: at 10,000 keys (922 expiring
 * soon, 41 others) the list page's findMany and count took 51 ms with the ids, 15 with the others.
 */
export function expiringSoonWhere(now: Date, soon: ExpiringSoon): Prisma.ApiKeyWhereInput {
  const range = { expiresAt: { gt: now, lte: ruleCutoffs(now, 0).soon } };
  return byIds(soon) ? { ...range, id: { in: soon.ids } } : { ...range, status: "active", id: { notIn: soon.others } };
}

/** Unexpired and not expiring soon ("valid"), in the same form as expiringSoonWhere. */
export function notExpiringSoonWhere(now: Date, soon: ExpiringSoon): Prisma.ApiKeyWhereInput {
  const { soon: cutoff } = ruleCutoffs(now, 0);
  const inRange = byIds(soon)
    ? { expiresAt: { gt: now, lte: cutoff }, id: { notIn: soon.ids } }
    : { expiresAt: { gt: now, lte: cutoff }, OR: [{ status: { not: "active" } }, { id: { in: soon.others } }] };
  return { OR: [{ expiresAt: null }, { expiresAt: { gt: cutoff } }, inRange] };
}

/** Which list the filters bind: the ids, unless the others are fewer. */
export function byIds(soon: ExpiringSoon): boolean {
  return soon.ids.length <= soon.others.length;
}

/** The candidates' ids, split by the one rule (isExpiringSoon) into ExpiringSoon's two lists. */
export function splitSoon(candidates: { id: string; status: string; createdAt: Date; expiresAt: Date | null }[], now: Date): ExpiringSoon {
  const split: ExpiringSoon = { ids: [], others: [] };
  for (const key of candidates) (isExpiringSoon(key, now.getTime()) ? split.ids : split.others).push(key.id);
  return split;
}

/**
 * Live keys with the warning `flag`. `expiringSoon` is what splitSoon found (needed only
 * for that flag; queries.ts expiringSoon reads it).
 */
export function flagWhere(
  flag: KeyWarning,
  now: Date,
  rotationPolicyDays: number,
  expiringSoon: ExpiringSoon = { ids: [], others: [] },
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
