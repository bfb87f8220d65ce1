import { config } from "../config";

/**
 * The limits' configured failure policy, for GET /api/metrics (1 = yes): whether Redis is in
 * use, and whether rate limits and credits fail open (this instance counts alone) or closed
 * (503) while it is unreachable. `limits_redis_connected` and the failure counters come from
 * lib/rate-limits/redis-store.ts and enforce.ts through lib/metrics.ts.
 */
export function limitSettings(): Record<string, number> {
  const c = config();
  return {
    limits_redis_configured: c.redisUrl ? 1 : 0,
    limits_redis_rate_limit_fail_open: c.redisRateLimitFailure === "open" ? 1 : 0,
    limits_redis_credits_fail_open: c.redisCreditsFailure === "open" ? 1 : 0,
  };
}
