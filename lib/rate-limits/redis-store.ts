import Redis from "ioredis";
import { increment, setGauge } from "../metrics";
import { nextRefill, type KeyLimits } from "./policy";
import { creditsNow } from "./memory-store";
import { recordSpend } from "./credit-ledger";
import type { LimitDecision } from "./decision";

/**
 * Limits shared by every instance through Redis: one EVALSHA per verification checks every
 * window and the credits and spends them atomically (the script runs alone on the server), so
 * N instances allow exactly what one would. Keys expire: a window's slot after two window
 * lengths, a key's credits an hour after their last use (then re-read from the database,
 * which the instances' batched writes keep current).
 *
 * KEYS: cur_1, prev_1, ..., cur_n, prev_n[, credits]
 * ARGV: n, cost, hasCredits, creditsInit, creditsTtlMs, then limit, windowMs, elapsedMs per window
 * Returns {1, creditsLeft, 0} | {0, waitMs, window} | {2, creditsLeft, 0}
 */
const SCRIPT = `
local n = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
for i = 1, n do
  local b = 5 + (i - 1) * 3
  local limit = tonumber(ARGV[b + 1]); local w = tonumber(ARGV[b + 2]); local el = tonumber(ARGV[b + 3])
  local cur = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local prev = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  if math.ceil(prev * (w - el) / w) + cur + 1 > limit then
    local wait
    if cur + 1 <= limit then
      wait = math.ceil(w * (1 - (limit - cur - 1) / prev)) - el
    else
      wait = w - el + math.max(0, math.ceil(w * (1 - (limit - 1) / cur)))
    end
    return {0, math.max(1, wait), i}
  end
end
local left = -1
if ARGV[3] == '1' then
  local ck = KEYS[2 * n + 1]
  local c = redis.call('GET', ck)
  if not c then
    c = ARGV[4]
    redis.call('SET', ck, c, 'PX', ARGV[5])
  end
  c = tonumber(c)
  if c == 0 or c < cost then return {2, c, 0} end
  left = redis.call('DECRBY', ck, cost)
  redis.call('PEXPIRE', ck, ARGV[5])
end
for i = 1, n do
  local w = tonumber(ARGV[5 + (i - 1) * 3 + 2])
  redis.call('INCR', KEYS[2 * i - 1])
  redis.call('PEXPIRE', KEYS[2 * i - 1], w * 2)
end
return {1, left, 0}
`;
const CREDITS_TTL_MS = 60 * 60_000;

type LimitsRedis = Redis & {
  keywardLimits(numKeys: number, ...args: (string | number)[]): Promise<[number, number, number]>;
  /** Resolves once the first connection is up: requests at start wait for it (within the timeout), later outages fail fast. */
  keywardFirstReady: Promise<void>;
  keywardTimeoutMs: number;
};

const globalForRedis = globalThis as unknown as { keywardLimitsRedis?: { url: string; client: LimitsRedis } };

export function limitsRedis(url: string, timeoutMs: number): LimitsRedis {
  const existing = globalForRedis.keywardLimitsRedis;
  if (existing?.url === url) return existing.client;
  const client = new Redis(url, {
    // Fail fast while disconnected (the failure policy answers), reconnect forever in the
    // background: service comes back with Redis, without a restart.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(timeoutMs, 1000),
    retryStrategy: (times) => Math.min(50 * times, 1000),
    lazyConnect: false,
  }) as LimitsRedis;
  client.defineCommand("keywardLimits", { lua: SCRIPT });
  client.keywardTimeoutMs = timeoutMs;
  client.keywardFirstReady = new Promise<void>((resolve) => client.once("ready", () => resolve()));
  client.on("error", () => increment("limits_redis_errors_total"));
  client.on("ready", () => setGauge("limits_redis_connected", 1));
  client.on("close", () => setGauge("limits_redis_connected", 0));
  setGauge("limits_redis_connected", 0);
  globalForRedis.keywardLimitsRedis = { url, client };
  return client;
}

export async function closeLimitsRedis() {
  const existing = globalForRedis.keywardLimitsRedis;
  globalForRedis.keywardLimitsRedis = undefined;
  if (existing) existing.client.disconnect();
}

let everReady = false;
async function firstConnection(redis: LimitsRedis) {
  if (everReady) return; // an outage after the start: fail fast, the policy answers
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("Redis is not connected")), redis.keywardTimeoutMs);
  });
  try {
    await Promise.race([redis.keywardFirstReady, timeout]);
    everReady = true;
  } finally {
    clearTimeout(timer);
  }
}

/** One round trip; throws when Redis does not answer (the caller applies the failure policy). */
export async function decideInRedis(redis: LimitsRedis, keyId: string, limits: KeyLimits, cost: number, now: number): Promise<LimitDecision> {
  const windows = limits.windows;
  const keys: string[] = [];
  const args: (string | number)[] = [windows.length, cost, limits.credits ? "1" : "0"];
  let period: string | null = null;
  if (limits.credits) {
    // Initial value when Redis has none: this instance's view of the database's value.
    const view = creditsNow(keyId, limits.credits, now);
    period = view.period;
    args.push(view.remaining, CREDITS_TTL_MS);
  } else {
    args.push(0, 0);
  }
  for (const w of windows) {
    const index = Math.floor(now / w.windowMs);
    keys.push(`kw:rl:{${keyId}}:${w.windowMs}:${index}`, `kw:rl:{${keyId}}:${w.windowMs}:${index - 1}`);
    args.push(w.limit, w.windowMs, now - index * w.windowMs);
  }
  if (limits.credits) keys.push(`kw:cr:{${keyId}}:${limits.credits.version}:${period ?? "-"}`);
  if (redis.status !== "ready") await firstConnection(redis);
  const [status, value, index] = await redis.keywardLimits(keys.length, ...keys, ...args);
  if (status === 0) return { ok: false, reason: "rate_limited", window: windows[index - 1], windows, retryAfterMs: value };
  if (status === 2) {
    const refill = limits.credits!.refill;
    return { ok: false, reason: "usage_exceeded", creditsLeft: value, retryAfterMs: refill ? nextRefill(refill, now) - now : null };
  }
  if (limits.credits && cost > 0) recordSpend(keyId, limits.credits.version, period, cost);
  return { ok: true, creditsLeft: limits.credits ? value : null };
}

