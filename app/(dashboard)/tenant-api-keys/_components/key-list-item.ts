import type { ApiKeyRow } from "@/lib/api-keys/row";
import { displayStatus, expiryState, type ExpiryState, type KeyDisplayStatus } from "@/lib/api-keys/status";
import { keyWarnings } from "@/lib/api-keys/insight";
import { limitValuesOf, type LimitValues } from "@/lib/rate-limits/key-fields";

/** A list row as the browser gets it: plain JSON, no hash, dates as ISO strings. */
export type KeyListItem = {
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
  warnings: ReturnType<typeof keyWarnings>;
  /** Sent back by the edit and rotate dialogs: a change made meanwhile is not overwritten. */
  version: number;
} & LimitValues;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toKeyListItem(row: ApiKeyRow, now: Date, rotationPolicyDays: number): KeyListItem {
  const rotating = row.previousHashExpiresAt && row.previousHashExpiresAt > now && row.status === "active";
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    prefix: row.prefix,
    status: displayStatus(row, now.getTime()),
    expiryState: expiryState(row, now.getTime()),
    group: { id: row.group.id, name: row.group.name, scopes: row.group.scopes },
    ipAllowlist: row.ipAllowlist,
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    createdAt: row.createdAt.toISOString(),
    revokedAt: iso(row.revokedAt),
    rotatingUntil: rotating ? iso(row.previousHashExpiresAt) : null,
    warnings: keyWarnings(row, rotationPolicyDays, now),
    version: row.version,
    ...limitValuesOf(row, now.getTime()),
  };
}
