import { hashApiKey } from "../api-keys/key-format";
import { cacheGeneration } from "../api-keys/key-cache";
import { increment } from "../metrics";
import { isWellFormedRootKey } from "../root-keys/key-format";
import { canOnPlatform } from "../auth/permissions";
import { recordAuthFailure, retryAfterSeconds } from "./rate-limit";
import { recordRootKeyUse } from "./usage";
import { syncCaches, type Verifier } from "./verify";
import type { RootKeyRecord } from "./lookup";

/**
 * Authenticates the platform's service (a gateway, the platform's backend) by its root key.
 * Root keys are few and hot: cached by hash like tenant keys, and every entry is dropped as soon
 * as anything is evicted from the key cache (a root key change on this instance evicts its id;
 * on PostgreSQL the change bus does the same on every instance; on SQLite another connection's
 * commit empties the cache), so a revoked root key is refused on the next request.
 */
export type RootKey = RootKeyRecord & { canVerify: (tenantId: string) => boolean };
export type RootFailure = {
  ok: false;
  status: 401 | 429 | 503;
  code: "unauthorized" | "rate_limited" | "unavailable";
  message: string;
  retryAfter?: number;
};
/** `cacheUsable`: syncCaches()'s answer for this request, for the tenant key's verify() after it. */
export type RootResult = { ok: true; root: RootKey; cacheUsable: boolean } | RootFailure;

const TTL_MS = 5_000;
type Entry = { root: RootKey | null; generation: number; storedAt: number };
const globalForRoot = globalThis as unknown as { keywardRootKeyCache?: Map<string, Entry> };
const cache = (globalForRoot.keywardRootKeyCache ??= new Map());

function withTenantCheck(record: RootKeyRecord): RootKey {
  const tenants = new Set(record.tenantIds);
  return { ...record, canVerify: (tenantId) => record.allTenants || tenants.has(tenantId) };
}

// A gateway sends the same root key with every request of a keep-alive connection: its HMAC is
// computed once per connection. Keyed by the connection, so a client is only ever compared with
// what it sent itself on that connection (no oracle); everything after the hash (the cache
// generation, TTL, status) is checked on every request as before.
const hashByConnection = new WeakMap<object, { secret: string; hash: string }>();
function rootKeyHash(secret: string, connection: object | undefined): string {
  if (!connection) return hashApiKey(secret);
  const last = hashByConnection.get(connection);
  if (last !== undefined && last.secret === secret) return last.hash;
  const hash = hashApiKey(secret);
  hashByConnection.set(connection, { secret, hash });
  return hash;
}

const UNAUTHORIZED: RootFailure = {
  ok: false,
  status: 401,
  code: "unauthorized",
  message: "A valid root key is required: Authorization: Bearer kwr_... (or X-Keyward-Root-Key).",
};

function badRootKey(callerIp: string | null, now: number): RootFailure {
  // Bad root keys share the throttle's budget under their own name: a valid root key from the
  // same address keeps working (issue 10.3).
  const address = `root:${callerIp ?? "unknown"}`;
  const wait = retryAfterSeconds(address, now);
  if (wait > 0) {
    increment("verify_root_rate_limited_total");
    return { ok: false, status: 429, code: "rate_limited", message: "Too many failed attempts. Try again later.", retryAfter: wait };
  }
  increment("verify_root_unauthorized_total");
  recordAuthFailure(address, now);
  return UNAUTHORIZED;
}

const ROOT_UNAVAILABLE: RootFailure = { ok: false, status: 503, code: "unavailable", message: "Key verification is unavailable. Try again shortly." };

/**
 * `callerIp` is the connecting service's address, for the bad-key throttle; `connection` (the
 * request's socket) lets a keep-alive connection's repeated root key skip the HMAC. A promise
 * only when the root key has to be looked up (a cached one is answered in the caller's tick).
 */
export function verifyRootKey(
  verifier: Verifier,
  secret: string | null,
  callerIp: string | null,
  now = Date.now(),
  connection?: object,
): RootResult | Promise<RootResult> {
  if (!isWellFormedRootKey(secret)) return badRootKey(callerIp, now);
  const hash = rootKeyHash(secret, connection);
  let useCache: boolean;
  let generation: number;
  let found: Promise<RootKeyRecord | null>;
  try {
    useCache = syncCaches(verifier);
    generation = cacheGeneration();
    const entry = useCache ? cache.get(hash) : undefined;
    if (entry && entry.generation === generation && now - entry.storedAt <= TTL_MS) return accept(verifier, entry.root, useCache, callerIp, now);
    found = verifier.lookup.findRoot(hash);
  } catch {
    return ROOT_UNAVAILABLE;
  }
  return found.then((record) => {
    const root = record ? withTenantCheck(record) : null;
    if (useCache && root) {
      if (cache.size > 1_000) cache.clear();
      cache.set(hash, { root, generation, storedAt: now });
    }
    return accept(verifier, root, useCache, callerIp, now);
  }, () => ROOT_UNAVAILABLE);
}

function accept(verifier: Verifier, root: RootKey | null, useCache: boolean, callerIp: string | null, now: number): RootResult {
  if (!root || root.status !== "active" || !canOnPlatform("root_key", "keys.verify")) return badRootKey(callerIp, now);
  recordRootKeyUse(verifier.lookup.usage, root.id, now);
  return { ok: true, root, cacheUsable: useCache };
}

/** The root key from `Authorization: Bearer kwr_...` or `X-Keyward-Root-Key`. */
export function rootKeyFrom(authorization: string | undefined, header: string | undefined): string | null {
  if (header) return header.trim();
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1] : null;
}
