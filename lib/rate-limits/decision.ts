import type { Window } from "./policy";

/** What the stores answer for one verification. */
export type LimitDecision =
  | { ok: true; creditsLeft: number | null }
  | { ok: false; reason: "rate_limited"; window: Window; windows: Window[]; retryAfterMs: number }
  | { ok: false; reason: "usage_exceeded"; creditsLeft: number; retryAfterMs: number | null }
  | { ok: false; reason: "unavailable" };
