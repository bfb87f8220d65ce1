import type { Window } from "./policy";

/**
 * Sliding-window counters (the semantics of every Keyward rate limit): each window of length W
 * keeps the count of the current fixed slot and of the previous one, and a request is allowed
 * when   ceil(previous * (W - elapsed) / W) + current + 1 <= limit,
 * i.e. the previous slot counts in proportion to how much of it the sliding window still
 * covers. Rounding up keeps it conservative: a burst never gets more than `limit` within one
 * slot, and a slot boundary does not hand out a second full quota (a fixed window would allow
 * 2x across it). Two integers per window and key: no log of timestamps.
 * The Redis script (redis-store.ts) does the same arithmetic.
 */
export type Slot = { index: number; previous: number; current: number };

export function roll(slot: Slot, windowMs: number, now: number): void {
  const index = Math.floor(now / windowMs);
  if (slot.index === index) return;
  slot.previous = slot.index === index - 1 ? slot.current : 0;
  slot.current = 0;
  slot.index = index;
}

/** Requests the window counts now (before this one). */
export function used(slot: Slot, windowMs: number, now: number): number {
  const elapsed = now - slot.index * windowMs;
  return Math.ceil((slot.previous * (windowMs - elapsed)) / windowMs) + slot.current;
}

/** Milliseconds until one more request fits (at least 1). */
export function waitMs(slot: Slot, window: Window, now: number): number {
  const { limit, windowMs } = window;
  const elapsed = now - slot.index * windowMs;
  let wait: number;
  if (slot.current + 1 <= limit) {
    // The previous slot's share must shrink to what is left.
    wait = Math.ceil(windowMs * (1 - (limit - slot.current - 1) / slot.previous)) - elapsed;
  } else {
    // Next slot: this one becomes the previous and must shrink to limit - 1.
    wait = windowMs - elapsed + Math.max(0, Math.ceil(windowMs * (1 - (limit - 1) / slot.current)));
  }
  return Math.max(1, wait);
}
