import { config } from "../config";
import { increment } from "../metrics";
import type { KeyLimits } from "./policy";
import type { LimitDecision } from "./decision";
import { decideInMemory } from "./memory-store";

// ioredis (about 20 MB of a verifier's memory once loaded) is loaded only when Redis is configured.
let redisStore: Promise<typeof import("./redis-store")> | null = null;

/**
 * The one call verify() makes for a key that has limits or credits (a key without either has
 * `limits: null` and never gets here). Without KEYWARD_REDIS_URL: this process's memory,
 * synchronously. With it: one Redis round trip; if Redis does not answer, the failure policy
 * decides: "open" parts fall back to this instance's own counting, a "closed" part refuses
 * (503). Rate limits default to open (an outage of Redis is not an outage of the platform),
 * credits to closed (a paid quota must not be overspent).
 */
export type { LimitDecision };

const UNAVAILABLE: LimitDecision = { ok: false, reason: "unavailable" };


// Read once: config() compares every variable on each call, too slow for every verification.
let settings: ReturnType<typeof config> | null = null;

export function enforceLimits(keyId: string, limits: KeyLimits, cost: number, now: number): LimitDecision | Promise<LimitDecision> {
  const c = (settings ??= config());
  if (!c.redisUrl) return count(decideInMemory(keyId, limits, cost, now));
  const url = c.redisUrl;
  redisStore ??= import("./redis-store");
  return redisStore.then(({ decideInRedis, limitsRedis }) => decideInRedis(limitsRedis(url, c.redisTimeoutMs), keyId, limits, cost, now)).then(count, () => {
    increment("limits_redis_failures_total");
    const closed = (limits.windows.length > 0 && c.redisRateLimitFailure === "closed") || (limits.credits !== null && c.redisCreditsFailure === "closed");
    if (closed) return count(UNAVAILABLE);
    increment("limits_redis_fallback_total");
    return count(decideInMemory(keyId, limits, cost, now));
  });
}

function count(decision: LimitDecision): LimitDecision {
  if (!decision.ok) increment(`limits_${decision.reason}_total`);
  return decision;
}
