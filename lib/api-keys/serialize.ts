import type { ApiKeyRow } from "./row";
import { displayStatus, expiryState, type ExpiryState, type KeyDisplayStatus } from "./status";
import { keyWarnings, type KeyWarning } from "./where";
import { limitValuesOf, windowsOf, type LimitValues } from "@/lib/rate-limits/key-fields";

// A key row as plain JSON, in the two shapes Keyward answers with: the /v1 API's (toApiKeyJson,
// its public contract) and the dashboard list's (toKeyListItem). Both come from keyFacts, so
// status, expiry state, rotation overlap and dates are derived once. Never the hash or a secret.

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function keyFacts(row: ApiKeyRow, now: Date) {
  const rotating = row.status === "active" && row.previousHashExpiresAt !== null && row.previousHashExpiresAt > now;
  return {
    /** The previous secret of a running overlap: its prefix and last use, or null. */
    previousSecret: rotating ? { prefix: row.previousPrefix, lastUsedAt: iso(row.previousLastUsedAt) } : null,
    disabledAt: iso(row.disabledAt),
    status: displayStatus(row, now.getTime()),
    expiryState: expiryState(row, now.getTime()),
    /** Until when the previous secret still works (a rotation with an overlap), or null. */
    rotatingUntil: rotating ? iso(row.previousHashExpiresAt) : null,
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    createdAt: row.createdAt.toISOString(),
    rotatedAt: iso(row.rotatedAt),
    revokedAt: iso(row.revokedAt),
  };
}

/** A key as the /v1 API shows it. */
export function toApiKeyJson(row: ApiKeyRow, now = new Date()) {
  const facts = keyFacts(row, now);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    prefix: row.prefix,
    status: facts.status,
    expirationState: facts.expiryState,
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
    expiresAt: facts.expiresAt,
    lastUsedAt: facts.lastUsedAt,
    createdAt: facts.createdAt,
    rotatedAt: facts.rotatedAt,
    revokedAt: facts.revokedAt,
    previousSecretValidUntil: facts.rotatingUntil,
    previousSecretPrefix: facts.previousSecret?.prefix ?? null,
    previousSecretLastUsedAt: facts.previousSecret?.lastUsedAt ?? null,
    disabledAt: facts.disabledAt,
    serviceAccount: row.serviceAccount ? { id: row.serviceAccount.id, name: row.serviceAccount.name } : null,
    environment: row.environment ? { id: row.environment.id, name: row.environment.name } : null,
  };
}

/** A list row as the browser gets it: plain JSON, dates as ISO strings. */
export type KeyListItem = {
  /** "token": a signed token (JWT) listed beside the keys (lib/api-keys/list-entries.ts). */
  kind: "key" | "token";
  id: string;
  name: string;
  description: string | null;
  prefix: string;
  status: KeyDisplayStatus;
  expiryState: ExpiryState;
  group: { id: string; name: string; scopes: string };
  ipAllowlist: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  revokedAt: string | null;
  rotatingUntil: string | null;
  /** During a rotation overlap: the previous secret's prefix and last use. */
  previousSecret: { prefix: string | null; lastUsedAt: string | null } | null;
  disabledAt: string | null;
  warnings: KeyWarning[];
  /** Who uses the key and where it runs (issue 15); null for none, and always for a signed token. */
  serviceAccount: { id: string; name: string } | null;
  environment: { id: string; name: string } | null;
  /** Sent back by the edit and rotate dialogs: a change made meanwhile is not overwritten. */
  version: number;
} & LimitValues;

export function toKeyListItem(row: ApiKeyRow, now: Date, rotationPolicyDays: number): KeyListItem {
  const facts = keyFacts(row, now);
  return {
    kind: "key",
    id: row.id,
    name: row.name,
    description: row.description,
    prefix: row.prefix,
    status: facts.status,
    expiryState: facts.expiryState,
    group: { id: row.group.id, name: row.group.name, scopes: row.group.scopes },
    ipAllowlist: row.ipAllowlist,
    expiresAt: facts.expiresAt,
    lastUsedAt: facts.lastUsedAt,
    createdAt: facts.createdAt,
    revokedAt: facts.revokedAt,
    rotatingUntil: facts.rotatingUntil,
    previousSecret: facts.previousSecret,
    disabledAt: facts.disabledAt,
    warnings: keyWarnings(row, rotationPolicyDays, now),
    serviceAccount: row.serviceAccount ? { id: row.serviceAccount.id, name: row.serviceAccount.name } : null,
    environment: row.environment ? { id: row.environment.id, name: row.environment.name } : null,
    version: row.version,
    ...limitValuesOf(row, now.getTime()),
  };
}
