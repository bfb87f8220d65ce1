import type { CachedKey } from "../api-keys/key-cache";

/** GET /v1/whoami's body: the calling key, its tenant, group and scopes. */
export function whoamiBody(key: CachedKey) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    tenant: { id: key.tenantId, name: key.tenantName },
    authorizationGroup: { id: key.groupId, name: key.groupName },
    scopes: key.scopes,
    expiresAt: key.expiresAt?.toISOString() ?? null,
  };
}
