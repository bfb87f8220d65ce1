import type { IncomingMessage, ServerResponse } from "node:http";
import { VERIFY_BODY_LIMIT, verifyRequestSchema, type VerifyCode } from "../lib/verify/schemas";
import { verifyRootKey, rootKeyFrom } from "../lib/verify/root-key";
import { verify, type Verifier, type VerifyFailure, type VerifyOptions } from "../lib/verify/verify";
import { describeJson } from "../lib/verify/key-record";
import { isWellFormedApiKey } from "../lib/api-keys/key-format";
import { looksLikeToken } from "../lib/tokens/token-shape";
import { verifyTokenLazily } from "../lib/tokens/verify-credential";
import { header, readBody, sendError, sendJsonText } from "./respond";
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
 * Each step that may wait (root key, body, key) is awaited only when it returned a promise: a
 * cached key with a body that came with its headers is answered without a microtask hop.
 */
export async function handleVerify(verifier: Verifier, req: IncomingMessage, res: ServerResponse, requestId: string, callerIp: string | null) {
  if (req.method !== "POST") {
    req.resume();
    return sendError(res, 405, "method_not_allowed", "Use POST on this endpoint.", requestId, { Allow: "POST" });
  }
  const checked = verifyRootKey(verifier, rootKeyFrom(header(req, "authorization"), header(req, "x-keyward-root-key")), callerIp, Date.now(), req.socket);
  const root = checked instanceof Promise ? await checked : checked;
  if (!root.ok) {
    req.resume();
    return sendRootFailure(res, root, requestId);
  }
  if (!JSON_TYPE.test(header(req, "content-type") ?? "")) {
    req.resume();
    return sendError(res, 415, "unsupported_media_type", "Send a JSON body with Content-Type: application/json.", requestId);
  }
  const read = readBody(req, VERIFY_BODY_LIMIT);
  const body = read instanceof Promise ? await read : read;
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
  // `cost` is a key's (credits); a token's verification ignores it.
  const options: VerifyOptions = {
    // Without a clientIp, an allowlisted key fails closed; bad keys count against the root key.
    clientIp: clientIp ?? null,
    throttleAs: clientIp ?? `via-root:${root.root.id}`,
    scope,
    allowTenant: root.root.canVerify,
    cacheUsable: root.cacheUsable,
    // The platform asks about its own client's request: its method and path are not known here.
    request: { id: requestId, source: "verify" },
    cost,
  };
  // A signed token in `key` is checked as a token (no credits: `cost` is a key's), with the same
  // codes; anything else (a kw_ key, or garbage) as a key, as before.
  const verified =
    !isWellFormedApiKey(key) && looksLikeToken(key)
      ? verifyTokenLazily(key, { ...options, usage: verifier.lookup.usage, requestLog: verifier.lookup.requestLog })
      : verify(verifier, key, options);
  const result = verified instanceof Promise ? await verified : verified;
  if (result.ok) {
    return sendJsonText(res, 200, answer(true, "VALID", describeJson(result.key), validDetails(result.credits, result.claims), requestId), requestId);
  }
  if (result.code === "unavailable") return sendError(res, 503, "unavailable", result.message, requestId, { "Retry-After": "1" });
  if (result.code === "tenant_not_allowed") return sendError(res, 403, "tenant_not_allowed", result.message, requestId);
  const headers: Record<string, string> = result.retryAfter ? { "Retry-After": String(result.retryAfter) } : {};
  return sendJsonText(res, 200, answer(false, codeOf(result), describeJson(result.key), members(limitDetails(result)), requestId), requestId, headers);
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * The answer as text, in the fields' documented order: valid, code, the key (describeJson),
 * then `details` (credits, claims, reset, rateLimit: already JSON members, "" for none), then
 * requestId. The same bytes as JSON.stringify of that object (tests/verify-answer.test.ts).
 */
export function answer(valid: boolean, code: VerifyCode, key: string, details: string, requestId: string): string {
  return `{"valid":${valid},"code":"${code}",${key}${details},"requestId":${JSON.stringify(requestId)}}`;
}

/** An object's members as JSON text after a comma ("" for an empty object). */
function members(fields: Record<string, unknown>): string {
  for (const _ in fields) return "," + JSON.stringify(fields).slice(1, -1);
  return "";
}

function validDetails(credits: number | undefined, claims: Record<string, unknown> | undefined): string {
  if (credits === undefined && !claims) return "";
  return members({ ...(credits === undefined ? {} : { credits: { remaining: credits } }), ...(claims ? { claims } : {}) });
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
