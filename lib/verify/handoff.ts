import type { CachedKey } from "../api-keys/key-cache";

/**
 * The node:http server verifies a /v1 request's key before Next.js sees it and hands the
 * result over in one request header, sealed with the process's nonce (as the peer address is,
 * lib/http/client-ip.ts): a client cannot forge it, because the server drops any copy a client
 * sends and only this process knows the nonce. Under plain `next start` there is no nonce, and
 * the route verifies the key itself.
 */
export const VERIFIED_HEADER = "x-keyward-verified";

type Sealed = { scope: string | null; key: Omit<CachedKey, "expiresAt" | "previousValidUntil"> & { expiresAt: string | null; previousValidUntil: string | null } };

export function sealVerified(nonce: string, key: CachedKey, scope: string | null): string {
  // Field by field: a cached key reads its shared parts through getters, which a spread skips.
  const sealed: Sealed = {
    scope,
    key: {
      id: key.id,
      tenantId: key.tenantId,
      tenantName: key.tenantName,
      name: key.name,
      prefix: key.prefix,
      secretPrefix: key.secretPrefix,
      status: key.status,
      expiresAt: key.expiresAt?.toISOString() ?? null,
      ipAllowlist: key.ipAllowlist,
      groupId: key.groupId,
      groupName: key.groupName,
      scopes: key.scopes,
      previousValidUntil: key.previousValidUntil?.toISOString() ?? null,
    },
  };
  return `${nonce} ${Buffer.from(JSON.stringify(sealed)).toString("base64url")}`;
}

/** The key the server verified for `scope`, or null (no server, wrong nonce, another scope). */
export function openVerified(value: string | null, nonce: string | undefined, scope: string | null): CachedKey | null {
  if (!value || !nonce) return null;
  const space = value.indexOf(" ");
  if (space <= 0 || value.slice(0, space) !== nonce) return null;
  try {
    const sealed = JSON.parse(Buffer.from(value.slice(space + 1), "base64url").toString("utf8")) as Sealed;
    if (sealed.scope !== scope) return null;
    const key = sealed.key;
    return {
      ...key,
      expiresAt: key.expiresAt ? new Date(key.expiresAt) : null,
      previousValidUntil: key.previousValidUntil ? new Date(key.previousValidUntil) : null,
    };
  } catch {
    return null;
  }
}
