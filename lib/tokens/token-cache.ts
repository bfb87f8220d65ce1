import { LRUCache } from "lru-cache";
import { cacheGeneration, KEY_CACHE_MAX_ENTRIES, KEY_CACHE_TTL_MS } from "../api-keys/key-cache";

/**
 * The recorded state of verified tokens (tenant, revokedAt, name, group), by jti, so that a token
 * check does not query the deny list on every request. It rides on the key cache's rules, which
 * already decide when memory may be trusted (lib/verify/verify.ts syncCaches): an entry is served
 * only while the key cache's generation is the one it was stored under, and the caller only asks
 * when syncCaches said the caches are usable. So whatever clears or evicts the key cache drops
 * every token entry too: on SQLite another connection's commit that moved the key change counter
 * (PRAGMA data_version, then the counter, which a trigger on IssuedToken's revokedAt bumps: a
 * revoke through Prisma), on PostgreSQL a change heard on the bus (a revoke publishes one in
 * its transaction) or a listener that stopped hearing. A revoke also evicts here at once
 * (revocation.ts), and a lookup that overlapped an eviction is not stored.
 */
/**
 * `rateLimits`: the windows that bind it (JSON, as on groups): the exchanging key's own, else its
 * group's. `createdByKeyId`: that key, whose request log records the token's uses.
 */
export type TokenRecord = {
  tenantId: string;
  tenantName: string;
  revokedAt: Date | null;
  groupId: string | null;
  name: string;
  rateLimits: string | null;
  createdByKeyId: string | null;
};
type Entry = { record: TokenRecord; generation: number };

const globalForTokens = globalThis as unknown as { keywardTokenCache?: LRUCache<string, Entry> };
const cache = (globalForTokens.keywardTokenCache ??= new LRUCache<string, Entry>({
  max: KEY_CACHE_MAX_ENTRIES,
  ttl: Math.max(KEY_CACHE_TTL_MS, 1),
}));

export function getCachedToken(jti: string): TokenRecord | null {
  const entry = cache.get(jti);
  if (!entry) return null;
  if (entry.generation !== cacheGeneration()) {
    cache.delete(jti);
    return null;
  }
  return entry.record;
}

/** `generation`: cacheGeneration() taken before the lookup that read `record`. */
export function setCachedToken(jti: string, record: TokenRecord, generation: number): void {
  if (KEY_CACHE_TTL_MS <= 0 || generation !== cacheGeneration()) return;
  cache.set(jti, { record, generation });
}

export function clearTokenCache(): void {
  cache.clear();
}
