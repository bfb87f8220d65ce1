import { nextRefill, periodStart, type KeyCredits, type KeyLimits } from "./policy";
import { roll, used, waitMs, type Slot } from "./sliding-window";
import { pendingSpent, recordSpend } from "./credit-ledger";
import type { LimitDecision } from "./decision";

/**
 * Exact limits for one process: counters in memory, checked and updated synchronously (one
 * event loop, so no two verifications interleave inside `decideInMemory`). Credits start from
 * the database's value minus what this process has spent but not yet written, and are spent
 * here; the ledger (credit-ledger.ts) writes the spends in batches.
 */
// `windows` is the interned array of the key's windows (policy.ts parses each JSON text once),
// so a new lookup of an unchanged key keeps its counters, and a changed limit starts afresh.
type KeyState = { windows: KeyLimits["windows"]; slots: Slot[]; credits: CreditState | null };
type CreditState = { source: KeyCredits; period: string | null; remaining: number };

const globalForLimits = globalThis as unknown as { keywardLimitState?: Map<string, KeyState> };
const states = (globalForLimits.keywardLimitState ??= new Map());

export function resetMemoryLimits() {
  states.clear();
}

function stateOf(keyId: string, limits: KeyLimits): KeyState {
  let state = states.get(keyId);
  if (!state || state.windows !== limits.windows) {
    state = { windows: limits.windows, slots: limits.windows.map(() => ({ index: -1, previous: 0, current: 0 })), credits: state?.credits ?? null };
    states.set(keyId, state);
  }
  return state;
}

/** The credits a key has now in this process's view (a due refill applied, own unwritten spends subtracted). */
export function creditsNow(keyId: string, credits: KeyCredits, now: number, state?: KeyState): CreditState {
  const period = credits.refill ? periodStart(credits.refill, now) : null;
  const current = state?.credits;
  if (current && current.source === credits && current.period === period) return current;
  // A fresh lookup (the database's value), a new refill period, or nothing known yet.
  const refilled = period !== null && (credits.refilledAt === null || credits.refilledAt < period);
  const base = refilled ? credits.refill!.amount : credits.remaining;
  const next = { source: credits, period, remaining: Math.max(0, base - pendingSpent(keyId, credits.version, period)) };
  if (state) state.credits = next;
  return next;
}

export function decideInMemory(keyId: string, limits: KeyLimits, cost: number, now: number): LimitDecision {
  const state = stateOf(keyId, limits);
  const windows = limits.windows;
  for (let i = 0; i < windows.length; i++) {
    const slot = state.slots[i];
    roll(slot, windows[i].windowMs, now);
    if (used(slot, windows[i].windowMs, now) + 1 > windows[i].limit) {
      return { ok: false, reason: "rate_limited", window: windows[i], windows, retryAfterMs: waitMs(slot, windows[i], now) };
    }
  }
  let creditsLeft: number | null = null;
  if (limits.credits) {
    const credits = creditsNow(keyId, limits.credits, now, state);
    if (credits.remaining === 0 || credits.remaining < cost) {
      const refill = limits.credits.refill;
      return { ok: false, reason: "usage_exceeded", creditsLeft: credits.remaining, retryAfterMs: refill ? nextRefill(refill, now) - now : null };
    }
    credits.remaining -= cost;
    creditsLeft = credits.remaining;
    if (cost > 0) recordSpend(keyId, limits.credits.version, credits.period, cost);
  }
  for (const slot of state.slots) slot.current++;
  return { ok: true, creditsLeft };
}
