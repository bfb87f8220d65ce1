import { z } from "zod";
import "../zod-jitless";

/**
 * Rate limits and credits as the forms, the server actions and /v1 take them (issue 13).
 * Limits are generous but finite: a window of more than 31 days or a limit above a billion is
 * a typo, not a policy, and PostgreSQL's INTEGER holds the credits.
 */
export const MAX_WINDOWS = 5;
export const MAX_WINDOW_SECONDS = 31 * 24 * 60 * 60;
export const MAX_LIMIT = 1_000_000_000;
export const MAX_CREDITS = 1_000_000_000;
export const MAX_COST = 1_000_000;

const whole = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a whole number.` })
    .int(`${what} must be a whole number.`)
    .min(min, `${what} must be at least ${min}.`)
    .max(max, `${what} must be at most ${max.toLocaleString("en-US")}.`);

export const rateLimitWindowSchema = z.strictObject({
  limit: whole("Rate limit", 1, MAX_LIMIT),
  windowSeconds: whole("Rate limit window (seconds)", 1, MAX_WINDOW_SECONDS),
});
export type RateLimitWindow = z.output<typeof rateLimitWindowSchema>;

/** null (or omitted on create): the key follows its group's limits; [] means no limits at all. */
export const rateLimitsSchema = z
  .array(rateLimitWindowSchema, { error: "Rate limits must be a list of {limit, windowSeconds}." })
  .max(MAX_WINDOWS, `At most ${MAX_WINDOWS} rate limit windows.`)
  .refine((windows) => new Set(windows.map((w) => w.windowSeconds)).size === windows.length, "Each rate limit window must have its own length.")
  .nullable();

/** An authorization group's windows (Settings): null or [] both mean none. */
export const groupRateLimitsSchema = z.strictObject({ rateLimits: rateLimitsSchema });
export type GroupRateLimitsInput = z.input<typeof groupRateLimitsSchema>;
export type GroupRateLimitsValues = z.output<typeof groupRateLimitsSchema>;

export const REFILL_INTERVALS = ["daily", "monthly"] as const;

export const creditsRefillSchema = z
  .strictObject({
    amount: whole("Refill amount", 1, MAX_CREDITS),
    interval: z.enum(REFILL_INTERVALS, { error: "Refill must be daily or monthly." }),
    dayOfMonth: whole("Refill day of month", 1, 31).nullable().optional(),
  })
  .refine((r) => r.interval !== "monthly" || r.dayOfMonth != null, { message: "A monthly refill needs a day of the month (1-31).", path: ["dayOfMonth"] })
  .refine((r) => r.interval !== "daily" || r.dayOfMonth == null, { message: "A daily refill has no day of the month.", path: ["dayOfMonth"] })
  .nullable();
export type CreditsRefill = NonNullable<z.output<typeof creditsRefillSchema>>;

/** Remaining uses; null: unlimited. */
export const creditsSchema = whole("Credits", 0, MAX_CREDITS).nullable();

/** The fields the key schemas add (lib/api-keys/schemas.ts). */
export const limitFields = {
  rateLimits: rateLimitsSchema.optional().default(null),
  credits: creditsSchema.optional().default(null),
  creditsRefill: creditsRefillSchema.optional().default(null),
};

/** Refill without credits is a contradiction the form and the API must refuse. */
export function refillNeedsCredits(values: { credits: number | null; creditsRefill: CreditsRefill | null }) {
  return values.creditsRefill === null || values.credits !== null;
}
export const REFILL_NEEDS_CREDITS = "A refill needs credits: set Credits too.";

/** The verify endpoint's `cost`: what one verification spends of the key's credits. */
export const costSchema = whole("cost", 0, MAX_COST).optional();
