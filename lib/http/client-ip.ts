import { isIpAllowed, normalizeAllowlist } from "@/lib/api-keys/ip-allowlist";
import { configFrozen } from "@/lib/config";

export const PEER_HEADER = "x-keyward-peer";

let trustedCache: { raw: string; list: string } | null = null;

/** TRUSTED_PROXIES: comma- or space-separated addresses/CIDRs of the load balancers in front. */
function trustedProxies(): string {
  // Read on every request until the servers froze their configuration (lib/config.ts).
  if (trustedCache && configFrozen()) return trustedCache.list;
  const raw = process.env.TRUSTED_PROXIES ?? "";
  if (trustedCache?.raw !== raw) trustedCache = { raw, list: normalizeAllowlist(raw.split(/[\s,]+/).join("\n")) };
  return trustedCache.list;
}

/**
 * The client's address: the socket peer that scripts/server.mjs vouches for, or, when that
 * peer is a trusted proxy, the right-most X-Forwarded-For entry that is not itself a trusted
 * proxy. Anything a client writes into X-Forwarded-For is ignored unless a trusted proxy
 * forwarded the request. Returns null when the address cannot be known (fail closed).
 */
export function clientIp(headers: Headers): string | null {
  const nonce = process.env.KEYWARD_PEER_NONCE;
  const vouched = headers.get(PEER_HEADER);
  if (!nonce || !vouched) return null;
  const [givenNonce, peer] = vouched.split(" ");
  if (givenNonce !== nonce || !peer) return null;
  return resolveClientIp(peer, headers.get("x-forwarded-for"));
}

/** The client behind `peer` (the socket's address), as clientIp() explains. */
export function resolveClientIp(peer: string, forwardedFor: string | null | undefined): string {
  const trusted = trustedProxies();
  if (!trusted || !isIpAllowed(trusted, peer)) return peer;

  const forwarded = (forwardedFor ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  for (let i = forwarded.length - 1; i >= 0; i--) {
    if (!isIpAllowed(trusted, forwarded[i])) return forwarded[i];
  }
  return forwarded[0] ?? peer;
}
