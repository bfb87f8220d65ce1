import type { CreditsRefill, RateLimitWindow } from "./schemas";

/**
 * What the hot path needs of a key's limits, resolved once per lookup (key override, else the
 * group's windows) so a verification reads plain fields. A key with neither limits nor credits
 * has `limits: null` and pays nothing (lib/rate-limits/enforce.ts).
 */
export type Window = { limit: number; windowMs: number; name: string };
export type KeyCredits = {
  remaining: number;
  /** Bumped by every change of the credit settings: spends counted before it are dropped. */
  version: number;
  refill: CreditsRefill | null;
  /** UTC day that starts the refill period `remaining` belongs to. */
  refilledAt: string | null;
};
export type KeyLimits = { windows: Window[]; credits: KeyCredits | null };

const parsedWindows = new Map<string, Window[]>();

/** The JSON column as windows; cached by text, since keys of a group share it. Bad JSON: none. */
export function parseWindows(json: string | null): Window[] | null {
  if (json === null || json === undefined) return null;
  let windows = parsedWindows.get(json);
  if (!windows) {
    try {
      const raw = JSON.parse(json) as RateLimitWindow[];
      windows = raw
        .filter((w) => Number.isInteger(w.limit) && w.limit > 0 && Number.isInteger(w.windowSeconds) && w.windowSeconds > 0)
        .map((w) => ({ limit: w.limit, windowMs: w.windowSeconds * 1000, name: `${w.windowSeconds}s` }));
    } catch {
      windows = [];
    }
    if (parsedWindows.size > 10_000) parsedWindows.clear();
    parsedWindows.set(json, windows);
  }
  return windows;
}

export type LimitColumns = {
  keyRateLimits: string | null;
  groupRateLimits: string | null;
  credits: number | null;
  creditsRefillAmount: number | null;
  creditsRefillInterval: string | null;
  creditsRefillDay: number | null;
  creditsRefilledAt: string | null;
  creditsVersion: number;
};

export function refillOf(row: Pick<LimitColumns, "creditsRefillAmount" | "creditsRefillInterval" | "creditsRefillDay">): CreditsRefill | null {
  if (row.creditsRefillAmount === null || (row.creditsRefillInterval !== "daily" && row.creditsRefillInterval !== "monthly")) return null;
  return { amount: row.creditsRefillAmount, interval: row.creditsRefillInterval, dayOfMonth: row.creditsRefillDay };
}

const NO_WINDOWS: Window[] = [];

export function limitsOf(row: LimitColumns): KeyLimits | null {
  const windows = parseWindows(row.keyRateLimits) ?? parseWindows(row.groupRateLimits) ?? NO_WINDOWS;
  const credits: KeyCredits | null =
    row.credits === null || row.credits === undefined
      ? null
      : { remaining: Number(row.credits), version: Number(row.creditsVersion), refill: refillOf(row), refilledAt: row.creditsRefilledAt };
  if (windows.length === 0 && !credits) return null;
  return { windows, credits };
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
function clampedDay(year: number, month: number, day: number) {
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(day, last));
}

/**
 * The UTC day that starts the refill period containing `now`: today for a daily refill; for a
 * monthly one the chosen day of this month (the month's last day when it is shorter) if it has
 * come, else that of the previous month. Days compare as text (YYYY-MM-DD).
 */
export function periodStart(refill: CreditsRefill, now: number): string {
  if (refill.interval === "daily") return isoDay(now - (now % DAY_MS));
  const date = new Date(now);
  const day = refill.dayOfMonth ?? 1;
  const thisMonth = clampedDay(date.getUTCFullYear(), date.getUTCMonth(), day);
  if (thisMonth <= now) return isoDay(thisMonth);
  return isoDay(clampedDay(date.getUTCFullYear(), date.getUTCMonth() - 1, day));
}

/** Start of the next refill period, for Retry-After and the dashboard. */
export function nextRefill(refill: CreditsRefill, now: number): number {
  if (refill.interval === "daily") return now - (now % DAY_MS) + DAY_MS;
  const date = new Date(now);
  const day = refill.dayOfMonth ?? 1;
  const thisMonth = clampedDay(date.getUTCFullYear(), date.getUTCMonth(), day);
  return thisMonth > now ? thisMonth : clampedDay(date.getUTCFullYear(), date.getUTCMonth() + 1, day);
}

/** Credits as stored, with a refill that is due applied (what the dashboard and /v1 show). */
export function effectiveCredits(
  row: { credits: number | null; creditsRefilledAt: string | null } & Pick<LimitColumns, "creditsRefillAmount" | "creditsRefillInterval" | "creditsRefillDay">,
  now: number,
): number | null {
  if (row.credits === null) return null;
  const refill = refillOf(row);
  if (!refill) return row.credits;
  const period = periodStart(refill, now);
  return row.creditsRefilledAt === null || row.creditsRefilledAt < period ? refill.amount : row.credits;
}
