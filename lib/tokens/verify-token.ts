import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import { config } from "../config";
import { increment } from "../metrics";
import type { Db } from "../db/prisma";
import type { CachedKey } from "../api-keys/key-cache";
import { recordAuthFailure, retryAfterSeconds } from "../verify/rate-limit";
import type { VerifyFailure, VerifyResult } from "../verify/verify";
import { TOKEN_ALG, publicKeyFor } from "./signing-keys";
import { tokenDisplayPrefix } from "./presets";
import { cacheGeneration } from "../api-keys/key-cache";
import { getCachedToken, setCachedToken, type TokenRecord } from "./token-cache";
import { JWT_SHAPE } from "./token-shape";
import { recordTokenUse } from "../verify/usage";
import type { UsageWriter } from "../verify/usage-writer";
import { enforceLimits } from "../rate-limits/enforce";
import { parseWindows } from "../rate-limits/policy";
import { logTokenVerification, type TokenLogTarget } from "../request-log/record";
import type { RequestContext, RequestLogWriter } from "../request-log/types";

/**
 * Verification of Keyward's signed tokens, the sibling of verify() for keys: the same 401/403
 * answers and the same principal (a CachedKey whose id is the jti), so the /v1 gate,
 * forward-auth and the routes treat a token as they treat a key.
 *
 * Bounded work: a token longer than MAX_TOKEN_BYTES or not three base64url parts is refused
 * before anything is decoded (no JSON of unbounded size or depth is parsed). Only ES256 is
 * accepted (jose never accepts `alg: none`; the allow-list also refuses HS256 with the public
 * key as secret), with our iss and aud, an exp, and a kid Keyward knows. Then the jti is looked
 * up (in token-cache.ts while the caches are trustworthy, else in the database): a revoked or
 * unrecorded token is refused on the next request, on every instance.
 */
export const MAX_TOKEN_BYTES = 4096;

export type TokenVerifyOptions = {
  clientIp: string | null;
  throttleAs?: string;
  scope?: string;
  allowTenant?: (tenantId: string) => boolean;
  /**
   * syncCaches()'s answer for this request (lib/verify/verify.ts): true lets the recorded state
   * come from memory (token-cache.ts); otherwise, or when absent, it is read from the database.
   */
  cacheUsable?: boolean;
  /** Where its last use is recorded (batched, lib/verify/usage.ts); absent: not recorded. */
  usage?: UsageWriter;
  /** The request and where the request log keeps it (lib/request-log/); absent: not logged. */
  request?: RequestContext;
  requestLog?: RequestLogWriter;
  now?: Date;
};

export { bearerToken, looksLikeToken } from "./token-shape";

/**
 * The rate limit windows a token is held to: those of the key it was exchanged from when that
 * key has its own, else its group's (read on a cache miss only, then cached with the jti).
 */
async function tokenRateLimits(db: Db, groupId: string | null, createdByKeyId: string | null): Promise<string | null> {
  const [key, group] = await Promise.all([
    createdByKeyId ? db.apiKey.findUnique({ where: { id: createdByKeyId }, select: { rateLimits: true } }) : null,
    groupId ? db.authorizationGroup.findUnique({ where: { id: groupId }, select: { rateLimits: true } }) : null,
  ]);
  return key?.rateLimits ?? group?.rateLimits ?? null;
}

const unauthorized = (message: string): VerifyFailure => ({ ok: false, status: 401, code: "unauthorized", message });
const INVALID = "A valid API key (X-API-Key) or signed token (Authorization: Bearer) is required.";

function claimsOf(payload: Record<string, unknown>) {
  const { sub, workspace, scopes, jti, name } = payload;
  if (typeof sub !== "string" || typeof workspace !== "string" || typeof jti !== "string" || jti.length > 64) return null;
  if (!Array.isArray(scopes) || scopes.length > 50 || !scopes.every((s) => typeof s === "string")) return null;
  return { sub, workspace, jti, scopes: scopes as string[], name: typeof name === "string" ? name : "" };
}

/**
 * Every verification of a recorded token (revoked, out of scope, rate limited or valid) goes to
 * the request log of the key it was exchanged from (tokens from a user, with no key, under their
 * jti), as verify() logs a key's. An unknown, forged or expired token is not logged: its claims
 * are not to be trusted (and an expired one is refused before its jti is looked up).
 */
export async function verifyToken(db: Db, token: string, options: TokenVerifyOptions): Promise<VerifyResult> {
  const target: TokenLogTarget = { keyId: null, tokenId: null, tenantId: null };
  const result = await verifyTokenOnce(db, token, options, target);
  if (options.request && options.requestLog) {
    logTokenVerification(options.requestLog, result, target, options.request, options.clientIp, options.now?.getTime() ?? Date.now());
  }
  return result;
}

async function verifyTokenOnce(db: Db, token: string, options: TokenVerifyOptions, target: TokenLogTarget): Promise<VerifyResult> {
  const now = options.now ?? new Date();
  const address = options.throttleAs ?? options.clientIp ?? "unknown";
  const bad = (message = INVALID, reason: VerifyFailure["reason"] = "NOT_FOUND"): VerifyFailure => {
    const wait = retryAfterSeconds(address, now.getTime());
    if (wait > 0) {
      increment("verify_rate_limited_total");
      return { ok: false, status: 429, code: "rate_limited", message: "Too many failed attempts. Try again later.", retryAfter: wait };
    }
    increment("token_unauthorized_total");
    recordAuthFailure(address, now.getTime());
    return { ...unauthorized(message), reason };
  };

  if (Buffer.byteLength(token, "utf8") > MAX_TOKEN_BYTES) return bad(`The bearer token exceeds ${MAX_TOKEN_BYTES} bytes.`);
  if (!JWT_SHAPE.test(token)) return bad("The bearer token is not a JWT (three base64url parts).");
  let kid: string;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== TOKEN_ALG || typeof header.kid !== "string" || header.kid.length > 64) return bad();
    kid = header.kid;
  } catch {
    return bad("The bearer token's header is not valid base64url JSON.");
  }
  let payload: Record<string, unknown>;
  try {
    const key = await publicKeyFor(db, kid);
    if (!key) return bad();
    const { tokenIssuer, tokenAudience } = config();
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [TOKEN_ALG],
      issuer: tokenIssuer,
      audience: tokenAudience,
      requiredClaims: ["exp", "iat", "jti", "sub"],
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return bad(INVALID, "EXPIRED");
    if (error instanceof joseErrors.JOSEError) return bad();
    increment("verify_unavailable_total");
    return { ok: false, status: 503, code: "unavailable", message: "Token verification is unavailable. Try again shortly." };
  }
  const claims = claimsOf(payload);
  if (!claims) return bad();
  let row: TokenRecord | null;
  try {
    row = options.cacheUsable ? getCachedToken(claims.jti) : null;
    if (row) {
      increment("token_cache_hits_total");
    } else {
      const generation = cacheGeneration();
      const found = await db.issuedToken.findUnique({
        where: { id: claims.jti },
        select: { tenantId: true, revokedAt: true, groupId: true, name: true, createdByKeyId: true, tenant: { select: { name: true } } },
      });
      const rateLimits = found ? await tokenRateLimits(db, found.groupId, found.createdByKeyId) : null;
      row = found && {
        tenantId: found.tenantId,
        tenantName: found.tenant.name,
        revokedAt: found.revokedAt,
        groupId: found.groupId,
        name: found.name,
        rateLimits,
        createdByKeyId: found.createdByKeyId,
      };
      if (row && options.cacheUsable) setCachedToken(claims.jti, row, generation);
    }
  } catch {
    increment("verify_unavailable_total");
    return { ok: false, status: 503, code: "unavailable", message: "Token verification is unavailable. Try again shortly." };
  }
  if (!row || row.tenantId !== claims.workspace) return bad();
  Object.assign(target, { keyId: row.createdByKeyId ?? claims.jti, tokenId: claims.jti, tenantId: row.tenantId });
  if (row.revokedAt) return bad(INVALID, "REVOKED");
  if (options.allowTenant && !options.allowTenant(row.tenantId)) {
    return { ok: false, status: 403, code: "tenant_not_allowed", message: "This root key may not verify keys of this key's tenant." };
  }
  const principal: CachedKey = {
    id: claims.jti,
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    name: row.name,
    prefix: tokenDisplayPrefix(claims.jti),
    secretPrefix: tokenDisplayPrefix(claims.jti),
    status: "active",
    expiresAt: typeof payload.exp === "number" ? new Date(payload.exp * 1000) : null,
    ipAllowlist: "",
    groupId: row.groupId ?? "",
    groupName: "",
    scopes: claims.scopes,
    previousValidUntil: null,
  };
  if (options.scope && !principal.scopes.includes(options.scope)) {
    increment("token_insufficient_scope_total");
    return { ok: false, status: 403, code: "insufficient_scope", message: `This token lacks the scope ${options.scope}.`, key: principal };
  }
  // Rate limits (sliding windows, lib/rate-limits/), in a bucket of the token's own: a token
  // spends no credits (README: "Signed tokens and limits").
  const windows = parseWindows(row.rateLimits);
  if (windows && windows.length > 0) {
    const pending = enforceLimits(`jwt:${claims.jti}`, { windows, credits: null }, 1, now.getTime());
    const decision = pending instanceof Promise ? await pending : pending;
    if (!decision.ok) {
      if (decision.reason !== "rate_limited") {
        return { ok: false, status: 503, code: "unavailable", message: "Token verification is unavailable. Try again shortly." };
      }
      const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      return { ok: false, status: 429, code: "rate_limited", message: "This token's rate limit is exceeded. Try again later.", retryAfter, key: principal, limit: decision };
    }
  }
  increment("token_ok_total");
  if (options.usage) recordTokenUse(options.usage, claims.jti, now.getTime());
  return { ok: true, key: principal, claims: payload };
}
