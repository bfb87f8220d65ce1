import type { IncomingMessage, ServerResponse } from "node:http";
import { VERIFY_BODY_LIMIT, verifyRequestSchema, type VerifyCode } from "../lib/verify/schemas";
import { verifyRootKey, rootKeyFrom } from "../lib/verify/root-key";
import { verify, type Verifier, type VerifyFailure } from "../lib/verify/verify";
import type { CachedKey } from "../lib/api-keys/key-cache";
import { isWellFormedApiKey } from "../lib/api-keys/key-format";
import { looksLikeToken } from "../lib/tokens/token-shape";
import { verifyTokenLazily } from "../lib/tokens/verify-credential";
import { header, readBody, sendError, sendJson } from "./respond";
import { parseAllowlistEntry } from "../lib/api-keys/ip-allowlist";
import { sendRootFailure } from "./root-failure";

function codeOf(failure: VerifyFailure): VerifyCode {
  switch (failure.code) {
    case "insufficient_scope":
      return "INSUFFICIENT_SCOPE";
    case "ip_not_allowed":
      return "IP_NOT_ALLOWED";
    case "rate_limited":
      return "RATE_LIMITED";
    case "usage_exceeded":
      return "USAGE_EXCEEDED";
    default:
      return failure.reason ?? "NOT_FOUND";
  }
}

function describe(key: CachedKey | undefined) {
  return {
    keyId: key?.id ?? null,
    tenantId: key?.tenantId ?? null,
    name: key?.name ?? null,
    group: key ? { id: key.groupId, name: key.groupName } : null,
    scopes: key?.scopes ?? [],
    expiresAt: key?.expiresAt?.toISOString() ?? null,
  };
}

const SCOPE = /^[A-Za-z0-9_.:\-*/]+$/;

/**
 * The body as verifyRequestSchema reads it. The common bodies ({ key }, with a scope or a
 * clientIp) are checked here by the schema's own rules, for the same answer without zod's
 * safeParse on every request; anything else (cost, an unknown field, a bad value) goes to the
 * schema, which also words the errors.
 */
export function parseVerifyRequest(json: unknown): ReturnType<typeof verifyRequestSchema.safeParse> {
  if (json !== null && typeof json === "object" && !Array.isArray(json)) {
    const { key, scope, clientIp } = json as Record<string, unknown>;
    let fields = 0;
    for (const name in json) fields += name === "key" || name === "scope" || name === "clientIp" ? 1 : 100;
    const expected = 1 + (scope === undefined ? 0 : 1) + (clientIp === undefined ? 0 : 1);
    if (
      fields === expected &&
      typeof key === "string" &&
      key.length >= 1 &&
      key.length <= 4096 &&
      (scope === undefined || (typeof scope === "string" && scope.length >= 1 && scope.length <= 200 && SCOPE.test(scope))) &&
      (clientIp === undefined || (typeof clientIp === "string" && clientIp.length <= 64 && !clientIp.includes("/") && parseAllowlistEntry(clientIp) !== null))
    ) {
      return { success: true, data: { key, scope, clientIp } } as ReturnType<typeof verifyRequestSchema.safeParse>;
    }
  }
  return verifyRequestSchema.safeParse(json);
}

/**
 * POST /v1/keys/verify: the platform asks whether a tenant's key (or signed token) is good. 200 for every
 * completed check, with the reason (the caller is the trusted platform); 401/403 only for the
 * root key itself; the key's allowlist is checked against `clientIp`, not the caller.
 */
export async function handleVerify(verifier: Verifier, req: IncomingMessage, res: ServerResponse, requestId: string, callerIp: string | null) {
  if (req.method !== "POST") {
    req.resume();
    return sendError(res, 405, "method_not_allowed", "Use POST on this endpoint.", requestId, { Allow: "POST" });
  }
  const root = await verifyRootKey(verifier, rootKeyFrom(header(req, "authorization"), header(req, "x-keyward-root-key")), callerIp, Date.now(), req.socket);
  if (!root.ok) {
    req.resume();
    return sendRootFailure(res, root, requestId);
  }
  if (!/^application\/json\s*(;|$)/i.test(header(req, "content-type") ?? "")) {
    req.resume();
    return sendError(res, 415, "unsupported_media_type", "Send a JSON body with Content-Type: application/json.", requestId);
  }
  const body = await readBody(req, VERIFY_BODY_LIMIT);
  if (!body.ok) return sendError(res, body.status, body.code, body.message, requestId);
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    return sendError(res, 400, "invalid_json", "The request body is not valid JSON.", requestId);
  }
  const parsed = parseVerifyRequest(json);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.length ? String(issue.path[0]) : "_body"] ??= []).push(issue.message);
    return sendError(res, 422, "validation_failed", "Some fields need attention.", requestId, {}, fieldErrors);
  }
  const { key, scope, clientIp, cost } = parsed.data;
  const options = {
    // Without a clientIp, an allowlisted key fails closed; bad keys count against the root key.
    clientIp: clientIp ?? null,
    throttleAs: clientIp ?? `via-root:${root.root.id}`,
    scope,
    allowTenant: root.root.canVerify,
    cacheUsable: root.cacheUsable,
    // The platform asks about its own client's request: its method and path are not known here.
    request: { id: requestId, source: "verify" as const },
  };
  // A signed token in `key` is checked as a token (no credits: `cost` is a key's), with the same
  // codes; anything else (a kw_ key, or garbage) as a key, as before.
  const result =
    !isWellFormedApiKey(key) && looksLikeToken(key) ? await verifyTokenLazily(key, { ...options, usage: verifier.lookup.usage, requestLog: verifier.lookup.requestLog }) : await verify(verifier, key, { ...options, cost });
  if (result.ok) {
    const credits = result.credits === undefined ? {} : { credits: { remaining: result.credits } };
    const claims = result.claims ? { claims: result.claims } : {};
    return sendJson(res, 200, { valid: true, code: "VALID", ...describe(result.key), ...credits, ...claims, requestId }, requestId);
  }
  if (result.code === "unavailable") return sendError(res, 503, "unavailable", result.message, requestId, { "Retry-After": "1" });
  if (result.code === "tenant_not_allowed") return sendError(res, 403, "tenant_not_allowed", result.message, requestId);
  const headers: Record<string, string> = result.retryAfter ? { "Retry-After": String(result.retryAfter) } : {};
  return sendJson(res, 200, { valid: false, code: codeOf(result), ...describe(result.key), ...limitDetails(result), requestId }, requestId, headers);
}

/** When a key's own limits refused it: when to come back (`reset`), and what it has left. */
function limitDetails(result: VerifyFailure) {
  const limit = result.limit;
  if (!limit || limit.ok || limit.reason === "unavailable") return {};
  const reset = limit.retryAfterMs === null ? null : new Date(Date.now() + limit.retryAfterMs).toISOString();
  if (limit.reason === "rate_limited") {
    return { reset, rateLimit: { limit: limit.window.limit, windowSeconds: limit.window.windowMs / 1000, remaining: 0 } };
  }
  return { reset, credits: { remaining: limit.creditsLeft } };
}
