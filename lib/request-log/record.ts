import type { IncomingMessage } from "node:http";
import { config } from "../config";
import type { CachedKey } from "../api-keys/key-cache";
import { recordRequest } from "./buffer";
import type { RequestContext, RequestLogWriter, RequestSource } from "./types";

type Outcome = { ok: true; key: CachedKey } | { ok: false; code: string; reason?: string; key?: CachedKey };

// Bounded so that a client cannot make one entry large; a query string is never kept (it may
// carry a secret the client put there by mistake). A length check and an indexOf: no string is
// made unless one has to be cut.
const MAX_PATH = 512;
const MAX_AGENT = 256;
const clip = (text: string | null | undefined, max: number) => (text ? (text.length > max ? text.slice(0, max) : text) : null);
function pathOf(path: string | null | undefined) {
  if (!path) return null;
  const query = path.indexOf("?");
  return clip(query === -1 ? path : path.slice(0, query), MAX_PATH);
}

const outcomeOf = (result: Outcome) =>
  result.ok ? "VALID" : result.code === "unauthorized" ? (result.reason ?? "NOT_FOUND") : result.code.toUpperCase();

/**
 * The one call from verify() (lib/verify/verify.ts): a verification of a known key becomes one
 * buffered entry. Unknown and malformed keys have no tenant to show them to and are not kept
 * (they are counted by the bad-key throttle and the metrics); nor is anything while
 * KEYWARD_REQUEST_LOG=0.
 */
export function logVerification(writer: RequestLogWriter, result: Outcome, request: RequestContext, clientIp: string | null, at: number) {
  const key = result.key;
  if (!key || !config().requestLog) return;
  record(writer, { tenantId: key.tenantId, keyId: key.id, tokenId: null }, result, request, clientIp, at);
}

/** Which log a signed token's verification goes to; set once its jti was found recorded. */
export type TokenLogTarget = { keyId: string | null; tokenId: string | null; tenantId: string | null };

/** lib/tokens/verify-token.ts's call: a recorded token's verification, on its key's log. */
export function logTokenVerification(writer: RequestLogWriter, result: Outcome, target: TokenLogTarget, request: RequestContext, clientIp: string | null, at: number) {
  if (!target.keyId || !target.tenantId || !config().requestLog) return;
  record(writer, { tenantId: target.tenantId, keyId: target.keyId, tokenId: target.tokenId }, result, request, clientIp, at);
}

/** One entry, on the log of `on.keyId`: both calls above. */
function record(
  writer: RequestLogWriter,
  on: { tenantId: string; keyId: string; tokenId: string | null },
  result: Outcome,
  request: RequestContext,
  clientIp: string | null,
  at: number,
) {
  recordRequest(writer, {
    at,
    tenantId: on.tenantId,
    keyId: on.keyId,
    tokenId: on.tokenId,
    requestId: request.id,
    outcome: outcomeOf(result),
    clientIp,
    method: clip(request.method, 16),
    path: pathOf(request.path),
    userAgent: clip(request.userAgent, MAX_AGENT),
    source: request.source,
  });
}

/** The request as node:http received it, for the front doors in server/. */
export function requestContext(req: IncomingMessage, id: string, source: RequestSource): RequestContext {
  const agent = req.headers["user-agent"];
  return { id, source, method: req.method ?? null, path: req.url ?? null, userAgent: typeof agent === "string" ? agent : null };
}

/**
 * Forward-auth: the gateway's client request, as the gateway reports it (read only after its
 * root key was accepted): NGINX's X-Original-URI/-Method, Traefik's X-Forwarded-Uri/-Method,
 * else Envoy's ext_authz path appended to /v1/authorize.
 */
export function gatewayRequestContext(req: IncomingMessage, id: string, path: string): RequestContext {
  const one = (name: string) => {
    const value = req.headers[name];
    return typeof value === "string" && value !== "" ? value : null;
  };
  const appended = path.length > "/v1/authorize".length ? path.slice("/v1/authorize".length) : null;
  return {
    id,
    source: "authorize",
    method: one("x-original-method") ?? one("x-forwarded-method") ?? req.method ?? null,
    path: one("x-original-uri") ?? one("x-forwarded-uri") ?? appended,
    userAgent: one("user-agent"),
  };
}
