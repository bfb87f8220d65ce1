import type { Db } from "@/lib/db/prisma";
import { increment } from "@/lib/metrics";
import { hashApiKey, isWellFormedApiKey } from "./key-format";
import { isIpAllowed } from "./ip-allowlist";
import { cacheGeneration, getCachedKey, setCachedKey, type CachedKey } from "./key-cache";
import { recordAuthFailure, retryAfterSeconds } from "./rate-limit";
import { recordKeyUse } from "./usage";
import { cacheTrustworthy, ensureKeyChangeListener } from "@/lib/db/key-change-bus";

export type VerifyFailure = {
  ok: false;
  status: 401 | 403 | 429 | 503;
  code: "unauthorized" | "ip_not_allowed" | "insufficient_scope" | "rate_limited" | "unavailable";
  message: string;
  retryAfter?: number;
};
export type VerifyResult = { ok: true; key: CachedKey } | VerifyFailure;

// One answer for missing, malformed, unknown, revoked and expired keys: no oracle.
const UNAUTHORIZED: VerifyFailure = {
  ok: false,
  status: 401,
  code: "unauthorized",
  message: "A valid API key is required in the X-API-Key header.",
};

async function lookup(db: Db, hash: string): Promise<CachedKey | null> {
  // One statement for both columns (each has a unique index; the planner ORs the two index
  // lookups). An HMAC-SHA-256 that is one key's hash and another's previous hash would be a
  // collision, so at most one row matches. The tenant and group are read only for a key that
  // exists: Prisma's query compiler would otherwise send their statements even for no row, and
  // an unknown key (what an attacker sends) must cost one query.
  const found = await db.apiKey.findFirst({
    where: { OR: [{ hash }, { previousHash: hash }] },
    select: {
      id: true,
      tenantId: true,
      groupId: true,
      name: true,
      prefix: true,
      status: true,
      expiresAt: true,
      ipAllowlist: true,
      hash: true,
      previousHashExpiresAt: true,
    },
  });
  if (!found) return null;
  const [tenant, group] = await Promise.all([
    db.tenant.findUnique({ where: { id: found.tenantId }, select: { name: true } }),
    db.authorizationGroup.findUnique({ where: { id: found.groupId }, select: { id: true, name: true, scopes: true } }),
  ]);
  // Both are required relations (the key's row is deleted with its tenant): a missing one
  // means the key vanished between the statements, so it is unknown.
  if (!tenant || !group) return null;
  return {
    id: found.id,
    tenantId: found.tenantId,
    tenantName: tenant.name,
    name: found.name,
    prefix: found.prefix,
    status: found.status,
    expiresAt: found.expiresAt,
    ipAllowlist: found.ipAllowlist,
    groupId: group.id,
    groupName: group.name,
    scopes: group.scopes.split(" ").filter(Boolean),
    previousValidUntil: found.hash !== hash ? (found.previousHashExpiresAt ?? new Date(0)) : null,
  };
}

// Requests that miss the cache together (a hot key's entry has just expired, or the instance
// just started) share one lookup instead of each making its own: on PostgreSQL, with a pool of
// 10 connections, a hot key otherwise cost up to 10 lookups per TTL (bench:verify). Only
// requests of the same cache generation share: one that arrives after an eviction (a revoke or
// rotate on this instance) starts its own lookup and sees the change.
const inFlight = new Map<string, Promise<CachedKey | null>>();

function sharedLookup(db: Db, hash: string, generation: number): Promise<CachedKey | null> {
  const id = `${generation}:${hash}`;
  let pending = inFlight.get(id);
  if (!pending) {
    pending = lookup(db, hash).finally(() => inFlight.delete(id));
    inFlight.set(id, pending);
  }
  return pending;
}

function isLive(key: CachedKey, now: number): boolean {
  if (key.status !== "active") return false;
  if (key.expiresAt && key.expiresAt.getTime() <= now) return false;
  if (key.previousValidUntil && key.previousValidUntil.getTime() <= now) return false;
  return true;
}

/**
 * Authenticates an X-API-Key value: shape and checksum first (no database for a malformed
 * key), then the keyed hash through the cache or one indexed lookup, then state, IP allowlist
 * and scope. Failures from one address are counted and throttled.
 */
export async function verifyApiKey(
  db: Db,
  secret: string | null,
  options: { clientIp: string | null; scope?: string; now?: Date },
): Promise<VerifyResult> {
  const now = (options.now ?? new Date()).getTime();
  const address = options.clientIp ?? "unknown";
  const wait = retryAfterSeconds(address, now);
  if (wait > 0) {
    increment("verify_rate_limited_total");
    return { ok: false, status: 429, code: "rate_limited", message: "Too many failed attempts. Try again later.", retryAfter: wait };
  }

  const fail = (result: VerifyFailure, keyId?: string): VerifyFailure => {
    increment(`verify_${result.code}_total`);
    if (result.status === 401) recordAuthFailure(address, now);
    if (keyId) recordKeyUse(db, keyId, false, new Date(now));
    return result;
  };

  if (!isWellFormedApiKey(secret)) return fail(UNAUTHORIZED);

  const hash = hashApiKey(secret);
  void ensureKeyChangeListener();
  // On PostgreSQL the cache is used only while this instance hears other instances' changes.
  const useCache = cacheTrustworthy();
  let key = useCache ? getCachedKey(hash, now) : null;
  if (key) {
    increment("verify_cache_hits_total");
  } else {
    const generation = cacheGeneration();
    try {
      key = await sharedLookup(db, hash, generation);
    } catch {
      increment("verify_unavailable_total");
      return { ok: false, status: 503, code: "unavailable", message: "Key verification is unavailable. Try again shortly." };
    }
    if (key && useCache) setCachedKey(hash, key, generation, now);
  }
  if (!key || !isLive(key, now)) return fail(UNAUTHORIZED);

  if (!isIpAllowed(key.ipAllowlist, options.clientIp)) {
    return fail(
      { ok: false, status: 403, code: "ip_not_allowed", message: "This API key may not be used from this IP address." },
      key.id,
    );
  }
  if (options.scope && !key.scopes.includes(options.scope)) {
    return fail(
      { ok: false, status: 403, code: "insufficient_scope", message: `This API key lacks the scope ${options.scope}.` },
      key.id,
    );
  }
  increment("verify_ok_total");
  recordKeyUse(db, key.id, true, new Date(now));
  return { ok: true, key };
}
