import { effectiveCredits, periodStart, refillOf } from "./policy";
import type { CreditsRefill, RateLimitWindow } from "./schemas";

/**
 * Between a key's columns and the fields the forms and /v1 use (rateLimits, credits,
 * creditsRefill), and what a change to them writes: credits or their refill changed bump
 * creditsVersion (spends counted before it no longer apply) and start the refill period now.
 */
type Columns = {
  rateLimits: string | null;
  credits: number | null;
  creditsRefillAmount: number | null;
  creditsRefillInterval: string | null;
  creditsRefillDay: number | null;
  creditsRefilledAt: string | null;
};
/** The same columns as a Prisma select, for every read of a key that shows or changes its limits. */
export const limitColumnsSelect = {
  rateLimits: true,
  credits: true,
  creditsRefillAmount: true,
  creditsRefillInterval: true,
  creditsRefillDay: true,
  creditsRefilledAt: true,
} as const satisfies Record<keyof Columns, true>;

export type LimitValues = { rateLimits: RateLimitWindow[] | null; credits: number | null; creditsRefill: CreditsRefill | null };

export function windowsOf(json: string | null): RateLimitWindow[] | null {
  if (json === null) return null;
  try {
    return JSON.parse(json) as RateLimitWindow[];
  } catch {
    return null;
  }
}

/** The key's fields as shown: credits with a due refill applied (the column lags by one flush interval). */
export function limitValuesOf(row: Columns, now = Date.now()): LimitValues {
  const refill = refillOf(row);
  return {
    rateLimits: windowsOf(row.rateLimits),
    credits: effectiveCredits(row, now),
    creditsRefill: refill ? { amount: refill.amount, interval: refill.interval, dayOfMonth: refill.dayOfMonth ?? null } : null,
  };
}

/**
 * Columns for new values. With `previous` (an update), unchanged credits keep their columns; the
 * caller bumps creditsVersion when `creditsChanged`.
 */
export function limitColumns(values: LimitValues, now: Date, previous?: Columns) {
  const rateLimits = values.rateLimits === null ? null : JSON.stringify(values.rateLimits.map((w) => ({ limit: w.limit, windowSeconds: w.windowSeconds })));
  const refill = values.credits === null ? null : values.creditsRefill;
  const data = {
    rateLimits,
    credits: values.credits,
    creditsRefillAmount: refill?.amount ?? null,
    creditsRefillInterval: refill?.interval ?? null,
    creditsRefillDay: refill?.interval === "monthly" ? (refill.dayOfMonth ?? null) : null,
    creditsRefilledAt: refill ? periodStart(refill, now.getTime()) : null,
  };
  if (!previous) return { data, creditsChanged: values.credits !== null, rateLimitsChanged: rateLimits !== null };
  const shown = limitValuesOf(previous, now.getTime());
  const creditsChanged =
    shown.credits !== data.credits ||
    previous.creditsRefillAmount !== data.creditsRefillAmount ||
    previous.creditsRefillInterval !== data.creditsRefillInterval ||
    previous.creditsRefillDay !== data.creditsRefillDay;
  const rateLimitsChanged = previous.rateLimits !== rateLimits;
  if (!creditsChanged) {
    // Unchanged credits keep their column values (and the spends counted against them).
    return { data: { rateLimits }, creditsChanged, rateLimitsChanged };
  }
  return { data, creditsChanged, rateLimitsChanged };
}

export const WINDOW_CHOICES = [
  { seconds: 1, label: "second" },
  { seconds: 60, label: "minute" },
  { seconds: 3600, label: "hour" },
  { seconds: 86_400, label: "day" },
] as const;

/** "100 per second", "5,000 per 900 seconds". */
export function describeWindow(w: RateLimitWindow): string {
  const named = WINDOW_CHOICES.find((c) => c.seconds === w.windowSeconds);
  return `${w.limit.toLocaleString("en-US")} per ${named ? named.label : `${w.windowSeconds.toLocaleString("en-US")} seconds`}`;
}
