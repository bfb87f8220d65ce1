import { LRUCache } from "lru-cache";
import { config } from "@/lib/config";
import type { KeyLimits } from "@/lib/rate-limits/policy";
import { subscribeKeyChanges } from "@/lib/db/key-change-bus";
/**
 * In-process cache of verified keys, keyed by the secret's hash (verify() passes the HMAC's raw
 * bytes as a one-byte string; the values are compact records, lib/verify/key-record.ts). A hit saves the database
 * lookup; every hit is still checked against the clock (expiry, overlap window), so a cached
 * key never outlives its expiry. Mutations on this instance evict the key at once (after their
 * transaction); other instances' changes arrive through the key change bus on PostgreSQL
 * (subscribed at the end of this file). KEY_CACHE_TTL_MS bounds what the bus cannot carry:
 * writes made outside Keyward, and on SQLite other processes (verify.ts's syncCaches).
 */
export const KEY_CACHE_TTL_MS = config().keyCacheTtlMs;
// README's promise: up to 100,000 keys per process (about 35 MB, bench:verify's verifier RSS).
export const KEY_CACHE_MAX_ENTRIES = 100_000;
const MAX_ENTRIES = KEY_CACHE_MAX_ENTRIES;

export type CachedKey = {
  id: string;
  tenantId: string;
  tenantName: string;
  name: string;
  prefix: string;
  /** Display prefix of the secret that was presented: the previous one during an overlap. */
  secretPrefix: string;
  status: string;
  expiresAt: Date | null;
  ipAllowlist: string;
  groupId: string;
  groupName: string;
  scopes: string[];
  /** Set when the hash is the previous secret of a rotation with an overlap window. */
  previousValidUntil: Date | null;
  /** Rate limit windows (the key's, else its group's) and credits; null when it has neither. */
  limits?: KeyLimits | null;
};

// lru-cache keeps the entries: the size bound (least recently used out first), the TTL, and a
// dispose hook that drops a key's back-reference whenever an entry leaves, for any reason.
// Its clock is the caller's: verify() takes one time per request (options.now, which tests
// inject), so the cache reads `clock.now`, set by each call below; ttlResolution 0 makes it read
// that clock on every check rather than cache a reading.
const clock = { now: () => Date.now() };
const at = (now: number) => {
  clock.now = () => now;
};

type Cache = {
  byHash: LRUCache<string, CachedKey>;
  hashesByKey: Map<string, string | string[]>;
  evictions: number;
};

const globalForCache = globalThis as unknown as { keywardKeyCache?: Cache };

function createCache(): Cache {
  // A key has one cached hash, or two during a rotation overlap: a string, not a Set per key
  // (with 100,000 cached keys the Sets alone cost megabytes).
  const hashesByKey = new Map<string, string | string[]>();
  const byHash = new LRUCache<string, CachedKey>({
    max: MAX_ENTRIES,
    // lru-cache refuses a ttl of 0; KEY_CACHE_TTL_MS <= 0 means nothing is ever stored.
    ttl: Math.max(KEY_CACHE_TTL_MS, 1),
    ttlResolution: 0,
    perf: { now: () => clock.now() },
    dispose: (key, hash) => forgetHash(hashesByKey, key.id, hash),
  });
  return { byHash, hashesByKey, evictions: 0 };
}
const cache = (globalForCache.keywardKeyCache ??= createCache());

/**
 * Taken before a database lookup and handed back to setCachedKey: if anything was evicted in
 * between, the lookup may have read the state from before a revoke, so it is not cached.
 */
export function cacheGeneration(): number {
  return cache.evictions;
}

export function getCachedKey(hash: string, now = Date.now()): CachedKey | null {
  at(now);
  // An entry past its TTL is deleted by this get (and disposed), so it leaves nothing behind.
  return cache.byHash.get(hash) ?? null;
}

function forgetHash(hashesByKey: Map<string, string | string[]>, keyId: string, hash: string) {
  const hashes = hashesByKey.get(keyId);
  if (hashes === hash) hashesByKey.delete(keyId);
  else if (Array.isArray(hashes)) {
    const rest = hashes.filter((h) => h !== hash);
    if (rest.length === 0) hashesByKey.delete(keyId);
    else hashesByKey.set(keyId, rest.length === 1 ? rest[0] : rest);
  }
}

export function setCachedKey(hash: string, key: CachedKey, generation: number, now = Date.now()) {
  if (KEY_CACHE_TTL_MS <= 0 || generation !== cache.evictions) return;
  at(now);
  // A replaced or evicted entry is disposed (its back-reference dropped) before this returns.
  cache.byHash.set(hash, key);
  const hashes = cache.hashesByKey.get(key.id);
  if (hashes === undefined) cache.hashesByKey.set(key.id, hash);
  else if (typeof hashes === "string") {
    if (hashes !== hash) cache.hashesByKey.set(key.id, [hashes, hash]);
  } else if (!hashes.includes(hash)) hashes.push(hash);
}

export function evictKey(keyId: string) {
  cache.evictions++;
  const hashes = cache.hashesByKey.get(keyId);
  for (const hash of typeof hashes === "string" ? [hashes] : [...(hashes ?? [])]) cache.byHash.delete(hash);
  cache.hashesByKey.delete(keyId);
}

export function evictTenant(tenantId: string) {
  cache.evictions++;
  at(Date.now());
  const hashes: string[] = [];
  // Entries past their TTL are skipped: never served, they go at their next get or by the size bound.
  cache.byHash.forEach((key, hash) => {
    if (key.tenantId === tenantId) hashes.push(hash);
  });
  for (const hash of hashes) cache.byHash.delete(hash);
}

export function clearKeyCache() {
  cache.evictions++;
  cache.byHash.clear();
  cache.hashesByKey.clear();
}

// Other instances' changes (PostgreSQL's LISTEN/NOTIFY), heard by the bus; null: start over.
subscribeKeyChanges("key-cache", (change) => {
  if (change === null) clearKeyCache();
  else if (change.keyId) evictKey(change.keyId);
  else evictTenant(change.tenantId);
});
