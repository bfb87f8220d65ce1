import { increment } from "../metrics";
import { apiKeyDigest, isWellFormedApiKey } from "../api-keys/key-format";
import { isIpAllowed } from "../api-keys/ip-allowlist";
import { cacheGeneration, clearKeyCache, getCachedKey, setCachedKey, type CachedKey } from "../api-keys/key-cache";
import { cacheTrustworthy, ensureKeyChangeListener } from "../db/key-change-bus";
import { recordAuthFailure, retryAfterSeconds } from "./rate-limit";
import { recordKeyRefusal, recordKeyUse } from "./usage";
import { enforceLimits, type LimitDecision } from "../rate-limits/enforce";
import type { KeyLookup } from "./lookup";
import { logVerification } from "../request-log/record";
import type { RequestContext } from "../request-log/types";

/**
 * The one verification of a tenant's API key. Every entry point calls it: the key check in
 * front of every /v1 route, POST /v1/keys/verify, /v1/authorize and the standalone verifier.
 * What it owns is process-wide (the cache, the bad-key throttle and the usage buffers live on
 * globalThis), so Next's bundles and the node:http server share one state.
 */
export type Verifier = { lookup: KeyLookup };

export type FailureCode =
  | "unauthorized"
  | "ip_not_allowed"
  | "insufficient_scope"
  | "previous_secret_read_only"
  | "tenant_not_allowed"
  | "rate_limited"
  | "usage_exceeded"
  | "unavailable";

export type VerifyFailure = {
  ok: false;
  status: 401 | 403 | 429 | 503;
  code: FailureCode;
  message: string;
  retryAfter?: number;
  /** Set when the key exists and is live (403s): the verify endpoint reports it to the platform. */
  key?: CachedKey;
  /** Why a 401 is a 401, for the trusted platform only (never sent to the client). */
  reason?: "NOT_FOUND" | "EXPIRED" | "REVOKED" | "DISABLED";
  /** A refusal by the key's own rate limits or credits: its headers (lib/rate-limits/headers.ts). */
  limit?: LimitDecision;
};
/** `credits`: what the key has left after this verification (absent: unlimited). */
/** `claims`: a signed token's verified claims (lib/tokens/verify-token.ts); absent for keys. */
export type VerifyResult = { ok: true; key: CachedKey; credits?: number; claims?: Record<string, unknown> } | VerifyFailure;

export type VerifyOptions = {
  clientIp: string | null;
  /** The bad-key throttle's bucket when it is not the client address (a root key's callers). */
  throttleAs?: string;
  scope?: string;
  /** A key-management write: refused with the previous secret of a rotation overlap (issue 10.1). */
  write?: boolean;
  /** A root key limited to some tenants: another tenant's key is refused (403), unrecorded. */
  allowTenant?: (tenantId: string) => boolean;
  /** Credits this verification spends (default 1; the verify endpoint's `cost`). */
  cost?: number;
  /**
   * syncCaches()'s answer when the caller has already asked it for this request (the root key's
   * check, lib/verify/root-key.ts): one look at the database's change counter per request.
   */
  cacheUsable?: boolean;
  /** The request, for the request log (lib/request-log/); absent: not logged. */
  request?: RequestContext;
  now?: Date;
};

// One answer for missing, malformed, unknown, revoked and expired keys: no oracle.
const UNAUTHORIZED: VerifyFailure = {
  ok: false,
  status: 401,
  code: "unauthorized",
  message: "A valid API key is required in the X-API-Key header.",
};

// Requests that miss the cache together (a hot key's entry has just expired, or the instance
// just started) share one lookup. Only requests of the same cache generation share: one that
// arrives after an eviction starts its own lookup and sees the change. A synchronous lookup
// (SQLite's) has nothing to share: no entry, no promise.
const globalForVerify = globalThis as unknown as { keywardVerifyInFlight?: Map<string, Promise<CachedKey | null>> };
const inFlight = (globalForVerify.keywardVerifyInFlight ??= new Map());

function sharedLookup(lookup: KeyLookup, cacheKey: string, digest: Buffer, generation: number): CachedKey | null | Promise<CachedKey | null> {
  const pending = inFlight.size === 0 ? undefined : inFlight.get(`${generation}:${cacheKey}`);
  if (pending) return pending;
  const found = lookup.find(digest.toString("hex"));
  if (!(found instanceof Promise)) return found;
  const id = `${generation}:${cacheKey}`;
  const shared = found.finally(() => inFlight.delete(id));
  inFlight.set(id, shared);
  return shared;
}

function deadReason(key: CachedKey, now: number): VerifyFailure["reason"] | null {
  // A disabled key gets the same 401 as any dead key; only the trusted platform hears why.
  if (key.status === "disabled") return "DISABLED";
  if (key.status !== "active") return "REVOKED";
  if (key.expiresAt && key.expiresAt.getTime() <= now) return "EXPIRED";
  if (key.previousValidUntil && key.previousValidUntil.getTime() <= now) return "NOT_FOUND";
  return null;
}

function rateLimited(wait: number): VerifyFailure {
  increment("verify_rate_limited_total");
  return { ok: false, status: 429, code: "rate_limited", message: "Too many failed attempts. Try again later.", retryAfter: wait };
}

const UNAVAILABLE: VerifyFailure = {
  ok: false,
  status: 503,
  code: "unavailable",
  message: "Key verification is unavailable. Try again shortly.",
};

/**
 * Brings this process's caches in line with the database before one is read, and says whether
 * they may be used. SQLite: a change to what the caches hold committed by another connection (a
 * revoke in the dashboard's process, or in this one) since the last request empties them, so the
 * next request sees it (PRAGMA data_version, then the key change counter: lookup.ts); the request
 * log's worker commits do not. PostgreSQL: the cache is used only while this instance hears other
 * instances' changes (LISTEN/NOTIFY, lib/db/key-change-bus.ts). Throws when the database fails.
 */
export function syncCaches(verifier: Verifier): boolean {
  if (verifier.lookup.provider === "sqlite") {
    // The bus is PostgreSQL's; on SQLite its checks would resolve DATABASE_URL on every request.
    if (verifier.lookup.changedSinceLastCheck()) clearKeyCache();
    return true;
  }
  void ensureKeyChangeListener();
  return cacheTrustworthy();
}

/**
 * Shape and checksum first (no database for a malformed key), then the keyed hash through the
 * cache or one prepared statement, then state, IP allowlist and scope.
 *
 * The throttle punishes bad keys, not addresses (issue 10.3): once an address has sent too many
 * bad keys, its malformed and unknown keys get 429 (a malformed one still without a query), but
 * a valid key from the same address (a NAT shared with a misconfigured client) keeps working.
 *
 * The answer is a promise only when it has to wait (a lookup, Redis's limits): a cached key is
 * answered in the caller's tick, without the promises and microtask hops of an async function
 * (awaiting the result works either way).
 */
export function verify(verifier: Verifier, secret: string | null, options: VerifyOptions): VerifyResult | Promise<VerifyResult> {
  const result = verifyOnce(verifier, secret, options);
  if (!options.request) return result;
  return result instanceof Promise ? result.then((done) => logged(verifier, done, options)) : logged(verifier, result, options);
}

function logged(verifier: Verifier, result: VerifyResult, options: VerifyOptions): VerifyResult {
  logVerification(verifier.lookup.requestLog, result, options.request!, options.clientIp, options.now?.getTime() ?? Date.now());
  return result;
}

function bad(address: string, now: number, reason: VerifyFailure["reason"], key?: CachedKey): VerifyFailure {
  const wait = retryAfterSeconds(address, now);
  if (wait > 0) return rateLimited(wait);
  increment("verify_unauthorized_total");
  recordAuthFailure(address, now);
  return key ? { ...UNAUTHORIZED, reason, key } : { ...UNAUTHORIZED, reason };
}

function forbidden(verifier: Verifier, key: CachedKey, now: number, code: FailureCode, message: string): VerifyFailure {
  increment(`verify_${code}_total`);
  recordKeyUse(verifier.lookup.usage, key.id, false, now);
  return { ok: false, status: 403, code, message, key };
}

function unavailable(): VerifyFailure {
  increment("verify_unavailable_total");
  return UNAVAILABLE;
}

function verifyOnce(verifier: Verifier, secret: string | null, options: VerifyOptions): VerifyResult | Promise<VerifyResult> {
  const now = options.now ? options.now.getTime() : Date.now();
  const address = options.throttleAs ?? options.clientIp ?? "unknown";
  if (!isWellFormedApiKey(secret)) return bad(address, now, "NOT_FOUND");

  // The cache is keyed by the HMAC's 32 bytes as a one-byte string (48 bytes a key, the hex
  // would take 80, with up to 100,000 keys cached); the hex is made only for a lookup.
  const digest = apiKeyDigest(secret);
  const cacheKey = digest.toString("latin1");
  let key: CachedKey | null;
  let useCache: boolean;
  let found: CachedKey | null | Promise<CachedKey | null>;
  let generation: number;
  try {
    useCache = options.cacheUsable ?? syncCaches(verifier);
    key = useCache ? getCachedKey(cacheKey, now) : null;
    if (key) {
      increment("verify_cache_hits_total");
      return checkKey(verifier, key, options, now, address);
    }
    generation = cacheGeneration();
    found = sharedLookup(verifier.lookup, cacheKey, digest, generation);
  } catch {
    return unavailable();
  }
  if (found instanceof Promise) return found.then((key) => looked(verifier, key, useCache, cacheKey, generation, options, now, address), unavailable);
  return looked(verifier, found, useCache, cacheKey, generation, options, now, address);
}

/** After a lookup: cache what was found, then check it. */
function looked(
  verifier: Verifier,
  found: CachedKey | null,
  useCache: boolean,
  cacheKey: string,
  generation: number,
  options: VerifyOptions,
  now: number,
  address: string,
): VerifyResult | Promise<VerifyResult> {
  try {
    if (found && useCache) setCachedKey(cacheKey, found, generation, now);
  } catch {
    return unavailable();
  }
  return checkKey(verifier, found, options, now, address);
}

/** Everything after the key is known (or known not to exist). */
function checkKey(verifier: Verifier, key: CachedKey | null, options: VerifyOptions, now: number, address: string): VerifyResult | Promise<VerifyResult> {
  if (!key) return bad(address, now, "NOT_FOUND");
  if (options.allowTenant && !options.allowTenant(key.tenantId)) {
    increment("verify_tenant_not_allowed_total");
    return { ok: false, status: 403, code: "tenant_not_allowed", message: "This root key may not verify keys of this key's tenant." };
  }
  const dead = deadReason(key, now);
  if (dead) return bad(address, now, dead, dead === "NOT_FOUND" ? undefined : key);

  if (key.ipAllowlist !== "" && !isIpAllowed(key.ipAllowlist, options.clientIp)) {
    return forbidden(verifier, key, now, "ip_not_allowed", "This API key may not be used from this IP address.");
  }
  if (options.scope && !key.scopes.includes(options.scope)) {
    return forbidden(verifier, key, now, "insufficient_scope", `This API key lacks the scope ${options.scope}.`);
  }
  // The previous secret of a rotation overlap only authenticates: whoever holds a superseded
  // secret must not be able to rotate away (or otherwise change) the key that replaced it.
  if (options.write && key.previousValidUntil) {
    return forbidden(
      verifier,
      key,
      now,
      "previous_secret_read_only",
      "This is the key's previous secret (kept during a rotation overlap): it may read and verify, not change keys. Use the new secret.",
    );
  }
  if (key.limits) {
    // Synchronous in memory; a promise only with Redis.
    const decision = enforceLimits(key.id, key.limits, options.cost ?? 1, now);
    return decision instanceof Promise ? decision.then((d) => limited(verifier, key, d, now)) : limited(verifier, key, decision, now);
  }
  return accepted(verifier, key, now, null);
}

function limited(verifier: Verifier, key: CachedKey, decision: LimitDecision, now: number): VerifyResult {
  if (!decision.ok) return limitRefusal(verifier, key, decision, now);
  return accepted(verifier, key, now, decision.creditsLeft);
}

function accepted(verifier: Verifier, key: CachedKey, now: number, credits: number | null): VerifyResult {
  increment("verify_ok_total");
  recordKeyUse(verifier.lookup.usage, key.id, true, now, key.previousValidUntil !== null);
  return credits === null ? { ok: true, key } : { ok: true, key, credits };
}

/** 429 for a key over its rate limit or out of credits (issue 13), counted per day, never audited. */
function limitRefusal(verifier: Verifier, key: CachedKey, decision: LimitDecision & { ok: false }, now: number): VerifyFailure {
  if (decision.reason === "unavailable") return UNAVAILABLE;
  const limited = decision.reason === "rate_limited";
  recordKeyRefusal(verifier.lookup.usage, key.id, limited ? "rateLimited" : "usageExceeded", now);
  const wait = decision.retryAfterMs === null ? undefined : Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  return {
    ok: false,
    status: 429,
    code: decision.reason,
    message: limited ? "This API key's rate limit is exceeded. Try again later." : "This API key has no credits left.",
    retryAfter: wait,
    key,
    limit: decision,
  };
}
