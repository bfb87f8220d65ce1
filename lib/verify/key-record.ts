import type { CachedKey } from "../api-keys/key-cache";
import { limitsOf, type KeyLimits, type LimitColumns } from "../rate-limits/policy";

/**
 * A verified key as the cache holds it, compact because the verifier may hold 100,000 of them
 * (bench:verify measures its RSS): the fields of the key itself, one shared object for what
 * all keys of its group have in common (tenant, group, scopes), and times as epoch milliseconds
 * instead of Date objects. It reads as a CachedKey through getters.
 */
export type KeyRow = {
  id: string;
  tenantId: string;
  groupId: string;
  name: string;
  prefix: string;
  previousPrefix: string | null;
  status: string;
  expiresAt: string | number | Date | null;
  ipAllowlist: string;
  hash: string;
  previousHashExpiresAt: string | number | Date | null;
  tenantName: string;
  groupName: string;
  scopes: string;
} & LimitColumns;

type KeyGroup = { tenantId: string; tenantName: string; groupId: string; groupName: string; scopes: string[] };

class KeyRecord implements CachedKey {
  constructor(
    readonly id: string,
    readonly name: string,
    readonly prefix: string,
    readonly secretPrefix: string,
    readonly status: string,
    readonly ipAllowlist: string,
    private readonly expiresMs: number | null,
    private readonly previousUntilMs: number | null,
    private readonly group: KeyGroup,
    /** The key's rate limits and credits (lib/rate-limits/), or null: none, the common case. */
    readonly limits: KeyLimits | null,
  ) {}
  get tenantId() {
    return this.group.tenantId;
  }
  get tenantName() {
    return this.group.tenantName;
  }
  get groupId() {
    return this.group.groupId;
  }
  get groupName() {
    return this.group.groupName;
  }
  /** Shared by the group's keys, so never mutated by a caller. */
  get scopes() {
    return this.group.scopes;
  }
  get expiresAt() {
    return this.expiresMs === null ? null : new Date(this.expiresMs);
  }
  get previousValidUntil() {
    return this.previousUntilMs === null ? null : new Date(this.previousUntilMs);
  }
}

// Prisma stores SQLite DateTimes as ISO text (older rows may hold epoch milliseconds); pg gives Dates.
function toMs(value: string | number | Date | null): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

// One group object per (group, names, scopes) and one copy of each status string, instead of
// one per key. Bounded: cleared when it grows past any real number of groups.
const groups = new Map<string, KeyGroup>();
const statuses = new Map<string, string>();
function groupOf(row: KeyRow): KeyGroup {
  const id = `${row.groupId}\u0000${row.tenantId}\u0000${row.tenantName}\u0000${row.groupName}\u0000${row.scopes}`;
  let group = groups.get(id);
  if (group === undefined) {
    if (groups.size > 20_000) groups.clear();
    group = { tenantId: row.tenantId, tenantName: row.tenantName, groupId: row.groupId, groupName: row.groupName, scopes: row.scopes.split(" ").filter(Boolean) };
    groups.set(id, group);
  }
  return group;
}
function statusOf(status: string): string {
  let shared = statuses.get(status);
  if (shared === undefined) {
    if (statuses.size > 100) statuses.clear();
    statuses.set(status, (shared = status));
  }
  return shared;
}

/** The key a row describes, as found by `hash` (hex): its own secret or its previous one. */
export function rowToKey(row: KeyRow, hash: string): CachedKey {
  const viaPrevious = row.hash !== hash;
  return new KeyRecord(
    row.id,
    row.name,
    row.prefix,
    // The label of the secret that was actually presented (issue 10.1).
    viaPrevious ? (row.previousPrefix ?? row.prefix) : row.prefix,
    statusOf(row.status),
    row.ipAllowlist,
    toMs(row.expiresAt),
    viaPrevious ? (toMs(row.previousHashExpiresAt) ?? 0) : null,
    groupOf(row),
    limitsOf(row),
  );
}
