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

// scopesText: the column as read, to tell the group's current row from an older one (groupOf).
type KeyGroup = { tenantId: string; tenantName: string; groupId: string; groupName: string; scopesText: string; scopes: string[]; json?: string };

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
  /** describeJson()'s fields, from the fields themselves and the group's text made once. */
  describeJson(): string {
    const group = this.group;
    // The group's part is shared by all its keys (no text per cached key: the cache holds
    // 100,000), made with its first answer. It cannot go stale: a group object stands for
    // exactly these names and scopes (groupOf), a renamed group is another object.
    group.json ??= `"group":${JSON.stringify({ id: group.groupId, name: group.groupName })},"scopes":${JSON.stringify(group.scopes)}`;
    const expires = this.expiresMs === null ? "null" : `"${new Date(this.expiresMs).toISOString()}"`;
    return `"keyId":${JSON.stringify(this.id)},"tenantId":${JSON.stringify(group.tenantId)},"name":${JSON.stringify(this.name)},${group.json},"expiresAt":${expires}`;
  }
}

/** What POST /v1/keys/verify says about a key: the fields' names and order as its OpenAPI schema. */
export function describeKey(key: CachedKey | undefined) {
  return {
    keyId: key?.id ?? null,
    tenantId: key?.tenantId ?? null,
    name: key?.name ?? null,
    group: key ? { id: key.groupId, name: key.groupName } : null,
    scopes: key?.scopes ?? [],
    expiresAt: key?.expiresAt?.toISOString() ?? null,
  };
}

const NO_KEY = JSON.stringify(describeKey(undefined)).slice(1, -1);

/**
 * describeKey() as JSON members without the braces, for an answer written as text: a cached
 * key's are built from strings (no object, no spread, no full JSON.stringify per request, which
 * were most of the verify endpoint's CPU above forward-auth's, bench:verify); any other key
 * (a signed token's) through describeKey(). Byte for byte the same (tests/verify-answer.test.ts).
 */
export function describeJson(key: CachedKey | undefined): string {
  if (key === undefined) return NO_KEY;
  if (key instanceof KeyRecord) return key.describeJson();
  return JSON.stringify(describeKey(key)).slice(1, -1);
}

// Prisma stores SQLite DateTimes as ISO text (older rows may hold epoch milliseconds); pg gives Dates.
function toMs(value: string | number | Date | null): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

// One group object per group id, shared by the keys read with the same names and scopes, and
// one copy of each status string, instead of one per key. A row that differs in any field (the
// group renamed or its scopes changed, the tenant renamed) gets a new object, which replaces the
// old one here; keys read before keep theirs (and their answer's text). Looked up by the id
// with field comparisons: no composite key string made and hashed per lookup. Bounded: cleared
// when it grows past any real number of groups.
const groups = new Map<string, KeyGroup>();
const statuses = new Map<string, string>();
function groupOf(row: KeyRow): KeyGroup {
  let group = groups.get(row.groupId);
  if (
    group === undefined ||
    group.tenantId !== row.tenantId ||
    group.groupName !== row.groupName ||
    group.scopesText !== row.scopes ||
    group.tenantName !== row.tenantName
  ) {
    if (groups.size > 20_000) groups.clear();
    group = {
      tenantId: row.tenantId,
      tenantName: row.tenantName,
      groupId: row.groupId,
      groupName: row.groupName,
      scopesText: row.scopes,
      scopes: row.scopes.split(" ").filter(Boolean),
    };
    groups.set(row.groupId, group);
  }
  return group;
}
function statusOf(status: string): string {
  if (status === "active") return "active";
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
