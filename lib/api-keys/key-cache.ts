import { config } from "@/lib/config";
/**
 * In-process cache of verified keys, keyed by the secret's hash (verify() passes the HMAC's raw
 * bytes as a one-byte string; the values are compact records, lib/verify/key-record.ts). A hit saves the database
 * lookup; every hit is still checked against the clock (expiry, overlap window), so a cached
 * key never outlives its expiry. Mutations on this instance evict the key at once. Other
 * instances notice a change only when the entry's TTL runs out: KEY_CACHE_TTL_MS is the bound.
 */
export const KEY_CACHE_TTL_MS = config().keyCacheTtlMs;
// README's promise: up to 100,000 keys per process (about 35 MB, bench:verify's verifier RSS).
const MAX_ENTRIES = 100_000;

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
};

type Entry = { key: CachedKey; storedAt: number };

const globalForCache = globalThis as unknown as {
  // A key has one cached hash, or two during a rotation overlap: a string, not a Set per key
  // (with 100,000 cached keys the Sets alone cost megabytes).
  keywardKeyCache?: { byHash: Map<string, Entry>; hashesByKey: Map<string, string | string[]>; evictions: number };
};
const cache = (globalForCache.keywardKeyCache ??= { byHash: new Map(), hashesByKey: new Map(), evictions: 0 });

/**
 * Taken before a database lookup and handed back to setCachedKey: if anything was evicted in
 * between, the lookup may have read the state from before a revoke, so it is not cached.
 */
export function cacheGeneration(): number {
  return cache.evictions;
}

export function getCachedKey(hash: string, now = Date.now()): CachedKey | null {
  const entry = cache.byHash.get(hash);
  if (!entry) return null;
  if (now - entry.storedAt > KEY_CACHE_TTL_MS) {
    cache.byHash.delete(hash);
    forgetHash(entry.key.id, hash);
    return null;
  }
  return entry.key;
}

function forgetHash(keyId: string, hash: string) {
  const hashes = cache.hashesByKey.get(keyId);
  if (hashes === hash) cache.hashesByKey.delete(keyId);
  else if (Array.isArray(hashes)) {
    const rest = hashes.filter((h) => h !== hash);
    if (rest.length === 0) cache.hashesByKey.delete(keyId);
    else cache.hashesByKey.set(keyId, rest.length === 1 ? rest[0] : rest);
  }
}

export function setCachedKey(hash: string, key: CachedKey, generation: number, now = Date.now()) {
  if (KEY_CACHE_TTL_MS <= 0 || generation !== cache.evictions) return;
  if (cache.byHash.size >= MAX_ENTRIES && !cache.byHash.has(hash)) {
    // Maps iterate in insertion order: drop the oldest entry (and its back-reference).
    const oldest = cache.byHash.entries().next().value;
    if (oldest !== undefined) {
      cache.byHash.delete(oldest[0]);
      forgetHash(oldest[1].key.id, oldest[0]);
    }
  }
  cache.byHash.set(hash, { key, storedAt: now });
  const hashes = cache.hashesByKey.get(key.id);
  if (hashes === undefined) cache.hashesByKey.set(key.id, hash);
  else if (typeof hashes === "string") {
    if (hashes !== hash) cache.hashesByKey.set(key.id, [hashes, hash]);
  } else if (!hashes.includes(hash)) hashes.push(hash);
}

export function evictKey(keyId: string) {
  cache.evictions++;
  const hashes = cache.hashesByKey.get(keyId);
  if (typeof hashes === "string") cache.byHash.delete(hashes);
  else for (const hash of hashes ?? []) cache.byHash.delete(hash);
  cache.hashesByKey.delete(keyId);
}

export function evictTenant(tenantId: string) {
  cache.evictions++;
  for (const [hash, entry] of cache.byHash) {
    if (entry.key.tenantId === tenantId) {
      cache.byHash.delete(hash);
      cache.hashesByKey.delete(entry.key.id);
    }
  }
}

export function clearKeyCache() {
  cache.evictions++;
  cache.byHash.clear();
  cache.hashesByKey.clear();
}
