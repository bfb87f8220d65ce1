import type { ApiKeyRow } from "./row";
import { displayStatus, expiryState } from "./status";
import { limitValuesOf, windowsOf } from "@/lib/rate-limits/key-fields";

/** A key as the /v1 API shows it: never the hash, never the secret. */
export function toApiKeyJson(row: ApiKeyRow, now = new Date()) {
  const rotating = row.status === "active" && row.previousHashExpiresAt && row.previousHashExpiresAt > now;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    prefix: row.prefix,
    status: displayStatus(row, now.getTime()),
    expirationState: expiryState(row, now.getTime()),
    authorizationGroup: {
      id: row.group.id,
      name: row.group.name,
      scopes: row.group.scopes.split(" ").filter(Boolean),
      rateLimits: windowsOf(row.group.rateLimits),
    },
    // The key's own windows (null: the group's apply), credits left (lagging verifications by
    // at most one usage flush interval) and their refill.
    ...limitValuesOf(row, now.getTime()),
    ipAllowlist: row.ipAllowlist.split("\n").filter(Boolean),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    rotatedAt: row.rotatedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    previousSecretValidUntil: rotating ? (row.previousHashExpiresAt?.toISOString() ?? null) : null,
  };
}
