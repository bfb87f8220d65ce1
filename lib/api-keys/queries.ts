import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { databaseProvider } from "@/lib/db/database-url";
import { KEY_STATUSES, type ApiKeyListParams } from "./schemas";
import { searchTerm } from "./search";
import { DAY_MS, KEY_GROUP_TYPE, expiringSoonWhere, flagWhere, notExpiringSoonWhere, ruleCutoffs, splitSoon, type ExpiringSoon } from "./where";
import { limitUsage } from "./limit";
import { listGroupedKeys, type PageGroup } from "./grouped";
import { apiKeyPublicSelect, type ApiKeyRow } from "./row";
import { windowsOf } from "../rate-limits/key-fields";

/** One key of the tenant, as lists show it; another tenant's key is the same null as a missing one. */
export async function findApiKey(db: Db | Tx, tenantId: string, keyId: string): Promise<ApiKeyRow | null> {
  return db.apiKey.findFirst({ where: { id: keyId, tenantId }, select: apiKeyPublicSelect });
}

/**
 * Another key of the tenant, not revoked, with exactly this name (trimmed), or null: the
 * forms warn about a duplicate name, which stays allowed (names are labels, ids identify).
 */
export async function keyNamed(db: Db | Tx, tenantId: string, name: string, exceptKeyId?: string) {
  const trimmed = name.trim();
  if (!trimmed) return null;
  return db.apiKey.findFirst({
    where: { tenantId, name: trimmed, status: { not: "revoked" }, ...(exceptKeyId && { id: { not: exceptKeyId } }) },
    select: { id: true, name: true, prefix: true },
    orderBy: { createdAt: "desc" },
  });
}

/** The places of Tenant.keyLimit in use: live keys and live signed tokens (limit.ts). */
export async function countActiveKeys(db: Db | Tx, tenantId: string, now = new Date()): Promise<number> {
  return (await limitUsage(db, tenantId, now)).used;
}

/**
 * `text` as a LIKE pattern that matches it literally. Prisma's `contains` becomes LIKE
 * '%text%' and escapes nothing, so a `%` or `_` in a search would be a wildcard. The escape
 * character is the backslash: PostgreSQL's default, and SQLite's through the adapter
 * (lib/db/sqlite-adapter.ts adds ESCAPE '\' to every LIKE).
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Case-insensitive "contains". SQLite's LIKE already ignores ASCII case; PostgreSQL needs
 * mode "insensitive", which the SQLite-generated types do not know, hence the cast.
 */
function textContains(q: string): Prisma.StringFilter {
  const contains = escapeLike(q);
  return databaseProvider() === "postgresql"
    ? ({ contains, mode: "insensitive" } as Prisma.StringFilter)
    : { contains };
}

/**
 * The tenant's keys that are expiring soon, and the others of their range (where.ts): one small
 * read of the covering index ApiKey_tenantId_counts_idx. expiringSoonCandidates in SQL (active,
 * expiring after now and within EXPIRING_SOON_MS): every list page reads it, and for its ~1,000
 * rows at 10,000 keys findMany took 12.6 ms against this statement's 4.4 (Prisma's row mapping).
 */
export async function expiringSoon(db: Db | Tx, tenantId: string, now: Date): Promise<ExpiringSoon> {
  const { soon } = ruleCutoffs(now, 0);
  const rows = await db.$queryRaw<{ id: string; createdAt: Date | string; expiresAt: Date | string }[]>`
    SELECT "id", "createdAt", "expiresAt" FROM "ApiKey"
    WHERE "tenantId" = ${tenantId} AND "status" = 'active' AND "expiresAt" > ${now} AND "expiresAt" <= ${soon}`;
  return splitSoon(rows.map((row) => ({ id: row.id, status: "active", createdAt: new Date(row.createdAt), expiresAt: new Date(row.expiresAt) })), now);
}

/** The ids of the tenant's keys that are expiring soon. */
export async function expiringSoonIds(db: Db | Tx, tenantId: string, now: Date): Promise<string[]> {
  return (await expiringSoon(db, tenantId, now)).ids;
}

/** The same for "starts with": a prefix is matched from its start, so `_` does not match every kw_ key. */
function textStartsWith(q: string): Prisma.StringFilter {
  const startsWith = escapeLike(q);
  return databaseProvider() === "postgresql"
    ? ({ startsWith, mode: "insensitive" } as Prisma.StringFilter)
    : { startsWith };
}

function listWhere(
  tenantId: string,
  params: ApiKeyListParams,
  now: Date,
  rotationPolicyDays: number,
  soon: ExpiringSoon,
): Prisma.ApiKeyWhereInput {
  const and: Prisma.ApiKeyWhereInput[] = [{ tenantId }];
  if (params.flag) and.push(flagWhere(params.flag, now, rotationPolicyDays, soon));
  if (params.status.length > 0 && params.status.length < KEY_STATUSES.length) and.push({ status: { in: params.status } });
  if (params.expiry.length > 0 && params.expiry.length < 3) {
    // The same keys as the badge's: "valid" is every unexpired key that is not expiring soon
    // (where.ts expiringSoonWhere: the expiresAt range, and the shorter list of ids).
    const states: Record<string, Prisma.ApiKeyWhereInput> = {
      valid: notExpiringSoonWhere(now, soon),
      expiring_soon: expiringSoonWhere(now, soon),
      expired: { expiresAt: { lte: now } },
    };
    and.push({ OR: params.expiry.map((state) => states[state]) });
  }
  // The name, the prefix (a `kw_AbCd` pasted from a log, from its start) or the description.
  const q = params.q ? searchTerm(params.q) : "";
  if (q) and.push({ OR: [{ name: textContains(q) }, { prefix: textStartsWith(q) }, { description: textContains(q) }] });
  if (params.serviceAccount) and.push({ serviceAccountId: params.serviceAccount === "none" ? null : params.serviceAccount });
  if (params.environment) and.push({ environmentId: params.environment === "none" ? null : params.environment });
  return { AND: and };
}

function listOrder(params: ApiKeyListParams): Prisma.ApiKeyOrderByWithRelationInput[] {
  const order = params.order;
  const primary: Prisma.ApiKeyOrderByWithRelationInput =
    params.sort === "expires"
      ? { expiresAt: { sort: order, nulls: "last" } }
      : params.sort === "last_used"
        ? { lastUsedAt: { sort: order, nulls: "last" } }
        : params.sort === "name"
          ? { name: order }
          : { createdAt: order };
  // The id breaks ties so that pages never repeat or skip a row.
  return [primary, { id: order }];
}

/**
 * One page of the tenant's keys; filtering, sorting and paging all happen in the database.
 * `groups`: with `groupBy`, the groups the page shows, in order, with their whole counts.
 * `soonKeys`: expiringSoon at `now`, when the caller has read it already (the dashboard's page
 * reads it once for its counts and its list); otherwise read here if the filter needs it.
 */
export async function listApiKeys(
  db: Db,
  tenantId: string,
  params: ApiKeyListParams,
  now = new Date(),
  rotationPolicyDays = 90,
  soonKeys?: ExpiringSoon,
): Promise<{ rows: ApiKeyRow[]; total: number; groups: PageGroup[] | null }> {
  const needsSoon = params.expiry.length > 0 && params.expiry.length < 3;
  const soon = !needsSoon ? { ids: [], others: [] } : (soonKeys ?? (await expiringSoon(db, tenantId, now)));
  const where = listWhere(tenantId, params, now, rotationPolicyDays, soon);
  const { groupBy } = params;
  if (groupBy) return listGroupedKeys(db, tenantId, { ...params, groupBy }, where, listOrder(params));
  const [rows, total] = await Promise.all([
    db.apiKey.findMany({
      where,
      select: apiKeyPublicSelect,
      orderBy: listOrder(params),
      skip: (params.page - 1) * params.pageSize,
      take: params.pageSize,
    }),
    db.apiKey.count({ where }),
  ]);
  return { rows, total, groups: null };
}

/** Authorization groups a key may be given: this tenant's, of type Tenant API Key. */
export async function listKeyGroups(db: Db | Tx, tenantId: string) {
  const groups = await db.authorizationGroup.findMany({
    where: { tenantId, type: KEY_GROUP_TYPE },
    select: { id: true, name: true, scopes: true, description: true, rateLimits: true },
    orderBy: { name: "asc" },
  });
  return groups.map((g) => ({ ...g, rateLimits: windowsOf(g.rateLimits) }));
}

/**
 * The tenant-wide counts every key list page shows: usage against the limit, the keys Revoke all
 * would revoke, and the three warnings. One statement that reads the covering index
 * ApiKey_tenantId_counts_idx once (five COUNTs read it five times): 0.35-0.5x their time at 10,000
 * keys on SQLite (bench/README.md, "The tenant-wide counts"), so it is read fresh for every page instead of kept
 * in a per-instance cache that other instances' changes had to clear (bench/README.md). The CASEs are
 * where.ts's rules in SQL, on its cutoffs; where.test.ts checks that they agree. Dates are bound
 * as parameters, which both adapters store and compare in the columns' own format.
 */
export type TenantKeyCounts = {
  /** Places of the limit in use: live keys plus `tokens`. */
  used: number;
  /** Live signed tokens (unrevoked, unexpired), which count toward the limit too. */
  tokens: number;
  revocable: number;
  /** Disabled keys (they hold a place of the limit too, and Revoke all revokes them). */
  disabled: number;
  warnings: { expiringSoon: number; idle: number; needsRotation: number };
};

/** `soonKeys`: expiringSoon at `now` if the caller has it (read here otherwise). */
export async function tenantKeyCounts(
  db: Db | Tx,
  tenantId: string,
  now: Date,
  rotationPolicyDays: number,
  soonKeys?: ExpiringSoon,
): Promise<TenantKeyCounts> {
  const { idleSince, rotateSince } = ruleCutoffs(now, rotationPolicyDays);
  type Row = Record<"used" | "disabled" | "tokens" | "revocable" | "idle" | "needsRotation", number | bigint | null>;
  // Every count is of active or disabled keys (those hold a place; warnings are of active ones
  // only), so the WHERE takes only those (the index's second column);
  // "not expired" is spelled out in each CASE: a subquery naming it once cost SQLite about 1 ms
  // more at 10,000 keys. Live tokens are one scalar subquery on IssuedToken_tenantId_revokedAt_expiresAt_idx
  // (a range of that index: unrevoked, unexpired), so expired tokens piling up cost nothing.
  const [row] = await db.$queryRaw<Row[]>`
    SELECT
      COUNT(CASE WHEN "expiresAt" IS NULL OR "expiresAt" > ${now} THEN 1 END) AS "used",
      COUNT(CASE WHEN "status" = 'disabled' THEN 1 END) AS "disabled",
      (SELECT COUNT(*) FROM "IssuedToken" WHERE "tenantId" = ${tenantId} AND "revokedAt" IS NULL AND "expiresAt" > ${now}) AS "tokens",
      COUNT(*) AS "revocable",
      COUNT(CASE WHEN "status" = 'active' AND ("expiresAt" IS NULL OR "expiresAt" > ${now})
        AND ("lastUsedAt" <= ${idleSince} OR ("lastUsedAt" IS NULL AND "createdAt" <= ${idleSince})) THEN 1 END) AS "idle",
      COUNT(CASE WHEN "status" = 'active' AND ("expiresAt" IS NULL OR "expiresAt" > ${now})
        AND ("rotatedAt" <= ${rotateSince} OR ("rotatedAt" IS NULL AND "createdAt" <= ${rotateSince})) THEN 1 END) AS "needsRotation"
    FROM "ApiKey" WHERE "tenantId" = ${tenantId} AND "status" IN ('active', 'disabled')`;
  // Expiring soon is scaled to each key's lifetime (where.ts): counted from its ids.
  const soonCount = (soonKeys ?? (await expiringSoon(db, tenantId, now))).ids.length;
  const n = (value: number | bigint | null | undefined) => Number(value ?? 0);
  return {
    used: n(row?.used) + n(row?.tokens),
    tokens: n(row?.tokens),
    revocable: n(row?.revocable),
    disabled: n(row?.disabled),
    warnings: { expiringSoon: soonCount, idle: n(row?.idle), needsRotation: n(row?.needsRotation) },
  };
}

/** `rateLimited` and `usageExceeded`: refused by the key's own rate limits or for want of credits. */
export type DailyUsage = { day: string; success: number; failure: number; rateLimited: number; usageExceeded: number };

/** The last `days` UTC days of request counts for one key, oldest first, zero-filled. */
export async function dailyUsage(db: Db, keyId: string, days = 30, now = new Date()): Promise<DailyUsage[]> {
  const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
  const first = dayOf(now.getTime() - (days - 1) * DAY_MS);
  const rows = await db.apiKeyUsageDaily.findMany({ where: { keyId, day: { gte: first } } });
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return Array.from({ length: days }, (_, i) => {
    const day = dayOf(now.getTime() - (days - 1 - i) * DAY_MS);
    const row = byDay.get(day);
    return {
      day,
      success: row?.successCount ?? 0,
      failure: row?.failureCount ?? 0,
      rateLimited: row?.rateLimitedCount ?? 0,
      usageExceeded: row?.usageExceededCount ?? 0,
    };
  });
}
