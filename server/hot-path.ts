import type { IncomingMessage, ServerResponse } from "node:http";
import { resolveClientIp } from "../lib/http/client-ip";
import { logError } from "../lib/log";
import { VERIFIED_HEADER } from "../lib/verify/handoff";
import type { Verifier } from "../lib/verify/verify";
import { handleAuthorize } from "./authorize";
import { header, requestIdOf, sendError } from "./respond";
import { gateV1 } from "./v1-gate";
import { handleVerify } from "./verify-endpoint";

export type HotPathOptions = {
  verifier: Verifier;
  /** Seals the verified key for Next.js (lib/verify/handoff.ts); null in the standalone verifier. */
  nonce: string | null;
};

/**
 * Keyward's hot path on plain node:http, before Next.js: POST /v1/keys/verify, /v1/authorize/*,
 * and the key check of every /v1 route. Resolves true when it answered the request, false to
 * pass it on (to Next.js, or the verifier's 404). Never throws: anything unexpected is a logged
 * 500 in the envelope.
 */
export function createHotPath({ verifier, nonce }: HotPathOptions) {
  return async function hotPath(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    // A client's own copy of the sealed-result header never reaches Next.js. (Checked first:
    // a delete turns the headers object into a slow dictionary for every later read.)
    if (req.headers[VERIFIED_HEADER] !== undefined) delete req.headers[VERIFIED_HEADER];
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    if (!path.startsWith("/v1/")) return false;
    const requestId = requestIdOf(req);
    try {
      try {
        decodeURIComponent(path);
      } catch {
        // Next.js answers a malformed %-escape with a bare 500; the API gets its envelope.
        req.resume();
        sendError(res, 400, "invalid_path", "The request path is not valid percent-encoding.", requestId);
        return true;
      }
      const peer = req.socket.remoteAddress ?? "";
      // The caller's own address (behind TRUSTED_PROXIES, the one they forwarded for): the
      // throttle's bucket for bad root keys, and the client address of /v1 routes.
      const callerIp = peer ? resolveClientIp(peer, header(req, "x-forwarded-for")) : null;
      if (path === "/v1/keys/verify") {
        await handleVerify(verifier, req, res, requestId, callerIp);
        return true;
      }
      if (path === "/v1/authorize" || path.startsWith("/v1/authorize/")) {
        await handleAuthorize(verifier, req, res, requestId, callerIp);
        return true;
      }
      if (!nonce) return false;
      const clientIp = callerIp;
      return await gateV1(verifier, req, res, path, requestId, clientIp, nonce);
    } catch (error) {
      logError("hot path request failed", error, { requestId, method: req.method, path });
      if (!res.headersSent) sendError(res, 500, "internal_error", "Something went wrong. Nothing was changed.", requestId);
      return true;
    }
  };
}
