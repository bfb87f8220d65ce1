import { config } from "@/lib/config";
/**
 * Slows down guessing: an address that sends too many bad keys within the window gets 429 with
 * Retry-After until the window has passed. In-process: each instance counts its own traffic.
 */
export const FAILURE_LIMIT = config().authFailureLimit;
export const FAILURE_WINDOW_MS = config().authFailureWindowMs;
const MAX_TRACKED = 50_000;

type Bucket = { count: number; windowStart: number };
const globalForLimits = globalThis as unknown as { keywardAuthFailures?: Map<string, Bucket> };
const buckets = (globalForLimits.keywardAuthFailures ??= new Map());

function bucketFor(address: string, now: number): Bucket | null {
  const bucket = buckets.get(address);
  if (!bucket) return null;
  if (now - bucket.windowStart >= FAILURE_WINDOW_MS) {
    buckets.delete(address);
    return null;
  }
  return bucket;
}

/** Seconds to wait when the address is blocked, otherwise 0. */
export function retryAfterSeconds(address: string, now = Date.now()): number {
  const bucket = bucketFor(address, now);
  if (!bucket || bucket.count < FAILURE_LIMIT) return 0;
  return Math.max(1, Math.ceil((bucket.windowStart + FAILURE_WINDOW_MS - now) / 1000));
}

export function recordAuthFailure(address: string, now = Date.now()) {
  const bucket = bucketFor(address, now);
  if (bucket) {
    bucket.count++;
    return;
  }
  if (buckets.size >= MAX_TRACKED) {
    const oldest = buckets.keys().next().value;
    if (oldest !== undefined) buckets.delete(oldest);
  }
  buckets.set(address, { count: 1, windowStart: now });
}

export function resetAuthFailures() {
  buckets.clear();
}
