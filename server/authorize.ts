import type { IncomingMessage, ServerResponse } from "node:http";
import { isIPv4 } from "node:net";
import { parseAllowlistEntry } from "../lib/api-keys/ip-allowlist";
import { verifyRootKey } from "../lib/verify/root-key";
import type { Verifier } from "../lib/verify/verify";
import { verifyKeyOrToken } from "../lib/tokens/verify-credential";
import { header, sendEmpty, sendError } from "./respond";
import { sendRootFailure } from "./root-failure";
import { limitHeaders } from "../lib/rate-limits/headers";
import { gatewayRequestContext } from "../lib/request-log/record";

const SCOPE = /^[A-Za-z0-9_.:\-*/]{1,200}$/;

function validIp(value: string | undefined): string | null {
  const text = value?.trim();
  if (!text) return null;
  // Dotted-quad IPv4 without leading zeros, exactly what the allowlist parser accepts, checked
  // natively: NGINX sends one with every subrequest and ipaddr.js's parse cost about 2 us.
  if (isIPv4(text)) return text;
  return !text.includes("/") && parseAllowlistEntry(text) ? text : null;
}

/**
 * The client's address as the authenticated gateway reports it: X-Real-IP (NGINX's
 * $remote_addr, Traefik's X-Real-Ip), else the right-most X-Forwarded-For entry, the one the
 * gateway itself appended (Envoy, Traefik). Unparseable: unknown, so allowlisted keys fail closed.
 */
function gatewayClientIp(req: IncomingMessage): string | null {
  const real = validIp(header(req, "x-real-ip"));
  if (real) return real;
  const forwarded = (header(req, "x-forwarded-for") ?? "").split(",");
  return validIp(forwarded[forwarded.length - 1]);
}

/**
 * Forward-auth for gateways, any method and any sub-path of /v1/authorize (Envoy's ext_authz
 * HTTP service appends the original path): NGINX auth_request, Traefik ForwardAuth and Envoy
 * ext_authz treat 2xx as "let it through" (copying our X-Keyward-* headers to the upstream) and
 * pass 401/403 to the client. The gateway proves itself with a root key in X-Keyward-Root-Key;
 * only then are its headers about the client believed.
 */
export async function handleAuthorize(verifier: Verifier, req: IncomingMessage, res: ServerResponse, requestId: string, callerIp: string | null) {
  // Forward-auth never needs the original body (NGINX and Envoy do not send it by default).
  req.resume();
  const rootHeader = header(req, "x-keyward-root-key");
  // Authorization is the client's own header on some gateways (Traefik forwards it): it counts
  // as the root key only when it carries one.
  const authorization = header(req, "authorization");
  const bearer = /^Bearer\s+(kwr_\S+)\s*$/i.exec(authorization ?? "")?.[1];
  // Awaited only when a promise (a lookup): a cached root key and key answer in this tick.
  const checked = verifyRootKey(verifier, rootHeader?.trim() || bearer || null, callerIp, Date.now(), req.socket);
  const root = checked instanceof Promise ? await checked : checked;
  if (!root.ok) return sendRootFailure(res, root, requestId);

  const requiredScope = header(req, "x-keyward-required-scope")?.trim() || undefined;
  if (requiredScope && !SCOPE.test(requiredScope)) {
    return sendError(res, 400, "invalid_required_scope", "X-Keyward-Required-Scope is not a scope.", requestId);
  }
  const clientIp = gatewayClientIp(req);
  // The client's signed token, when it sends one in Authorization instead of a key (a root key
  // there is the gateway's, never the client's: bearerToken skips kwr_).
  const verified = verifyKeyOrToken(verifier, header(req, "x-api-key"), bearer ? undefined : authorization, {
    clientIp,
    throttleAs: clientIp ?? `via-root:${root.root.id}`,
    scope: requiredScope,
    allowTenant: root.root.canVerify,
    cacheUsable: root.cacheUsable,
    request: gatewayRequestContext(req, requestId, (req.url ?? "").split("?", 1)[0]),
  });
  const result = verified instanceof Promise ? await verified : verified;
  if (result.ok) {
    const key = result.key;
    // Headers only: NGINX, Traefik and Envoy copy these to the upstream and never read a body.
    return sendEmpty(res, 200, requestId, {
      "X-Keyward-Key-Id": key.id,
      "X-Keyward-Tenant-Id": key.tenantId,
      "X-Keyward-Scopes": key.scopes.join(" "),
    });
  }
  const headers: Record<string, string> = {};
  if (result.status === 401) headers["WWW-Authenticate"] = 'ApiKey header="X-API-Key"';
  if (result.retryAfter) headers["Retry-After"] = String(result.retryAfter);
  if (result.status === 503) headers["Retry-After"] = "1";
  if (result.limit) Object.assign(headers, limitHeaders(result.limit));
  // A key of a tenant this root key may not verify is, for the client, simply not accepted.
  const status = result.code === "tenant_not_allowed" ? 401 : result.status;
  const code = result.code === "tenant_not_allowed" ? "unauthorized" : result.code;
  const message = result.code === "tenant_not_allowed" ? "A valid API key is required in the X-API-Key header." : result.message;
  if (status === 401) headers["WWW-Authenticate"] = 'ApiKey header="X-API-Key"';
  return sendError(res, status, code, message, requestId, headers);
}
