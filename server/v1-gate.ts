import type { IncomingMessage, ServerResponse } from "node:http";
import { whoamiBody } from "../lib/verify/whoami";
import { sealVerified, VERIFIED_HEADER } from "../lib/verify/handoff";
import type { Verifier } from "../lib/verify/verify";
import { verifyKeyOrToken, WWW_AUTHENTICATE } from "../lib/tokens/verify-credential";
import { v1OperationFor } from "../lib/api/v1-operations";
import { header, sendError, sendJson } from "./respond";
import { limitHeaders } from "../lib/rate-limits/headers";
import { requestContext } from "../lib/request-log/record";

/**
 * The key check in front of every /v1 route, on node:http, with the scope and read/write of each
 * operation from the one table (lib/api/v1-operations.ts) that the route files read too (a route
 * that finds no sealed result for its own scope verifies the key itself). GET /v1/whoami is
 * answered here entirely: it is the key's own description. Resolves true when the request was
 * answered; false to hand it on to Next.js (with the sealed key).
 */
export async function gateV1(
  verifier: Verifier,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  requestId: string,
  clientIp: string | null,
  nonce: string,
): Promise<boolean> {
  const route = v1OperationFor(req.method, path);
  // Root-key operations check the root key in their route (lib/api/v1-root.ts), not a tenant key.
  if (!route || route.auth === "root_key") return false;
  // A signed token in Authorization: Bearer counts as a key (lib/tokens/verify-credential.ts).
  const result = await verifyKeyOrToken(verifier, header(req, "x-api-key"), header(req, "authorization"), {
    clientIp,
    scope: route.scope ?? undefined,
    write: route.write,
    request: requestContext(req, requestId, "v1"),
  });
  if (!result.ok) {
    req.resume();
    const headers: Record<string, string> = {};
    if (result.retryAfter) headers["Retry-After"] = String(result.retryAfter);
    if (result.limit) Object.assign(headers, limitHeaders(result.limit));
    if (result.status === 401) headers["WWW-Authenticate"] = WWW_AUTHENTICATE;
    sendError(res, result.status, result.code, result.message, requestId, headers);
    return true;
  }
  if (route.id === "whoami" && req.method === "GET") {
    sendJson(res, 200, whoamiBody(result.key), requestId);
    return true;
  }
  req.headers[VERIFIED_HEADER] = sealVerified(nonce, result.key, route.scope);
  req.headers["x-request-id"] = requestId;
  return false;
}
