import "server-only";
import type { Db } from "@/lib/db";
import { databaseProvider } from "@/lib/db/database-url";
import { tokenDisplayPrefix } from "@/lib/tokens/presets";
import { KEY_STATUSES, LIST_KINDS, type ApiKeyListParams } from "./schemas";
import { escapeLike, expiringSoon, listApiKeys } from "./queries";
import { byIds, ruleCutoffs, splitSoon, type ExpiringSoon } from "./where";
import type { PageGroup } from "./grouped";
import { searchTerm } from "./search";
import { apiKeyPublicSelect } from "./row";
import { toKeyListItem, type KeyListItem } from "./serialize";
import { expiryState } from "./status";

/**
 * The key list with the tenant's signed tokens in it (issue 14: "listed in the key table with its
 * own type badge"). One page across both kinds, sorted and counted in the database:
 * - no token matches the filters (most tenants), a warning flag is set (idle and rotation apply
 *   to keys only) or `kind` asks for keys only: the keys' own query (listApiKeys), unchanged and
 *   served by its indexes; one COUNT on IssuedToken's (tenantId, ...) index decides;
 * - tokens only: one query on IssuedToken;
 * - both: one UNION ALL of the two tables' (kind, id, sort columns), ordered, limited and offset in
 *   SQL, then the page's rows read by id. The filters are listWhere's (queries.ts) in SQL;
 *   list-entries.test.ts checks that the union returns exactly listApiKeys's keys for each.
 */
export type ListKind = (typeof LIST_KINDS)[number];

type Params = ApiKeyListParams;

/** Positional parameters in each provider's spelling. */
function binder(provider: "sqlite" | "postgresql") {
  const values: unknown[] = [];
  return {
    values,
    bind(value: unknown) {
      values.push(value);
      return provider === "sqlite" ? "?" : `$${values.length}`;
    },
  };
}

type Bind = (value: unknown) => string;

function like(column: string, q: string, bind: Bind, provider: string, anywhere = true) {
  const pattern = bind(`${anywhere ? "%" : ""}${escapeLike(q)}%`);
  // SQLite's LIKE ignores ASCII case already; PostgreSQL's needs ILIKE (Prisma's mode "insensitive").
  return provider === "postgresql" ? `${column} ILIKE ${pattern}` : `${column} LIKE ${pattern} ESCAPE '\\'`;
}

/** A live row (the only ones expiring soon) of each table, and its negation. */
const LIVE = {
  key: { live: `"status" = 'active'`, not: `"status" <> 'active'` },
  token: { live: `"revokedAt" IS NULL`, not: `"revokedAt" IS NOT NULL` },
} as const;

/**
 * The expiry filter in SQL. "Expiring soon" is scaled to each row's lifetime (status.ts), so it
 * is the ids that rule picked (soonEntries), as listWhere does for keys; ids are unique across
 * both tables (cuids), so one list serves both sides of the union. As listWhere
 * (where.ts expiringSoonWhere), it names the expiresAt range the ids were read from (the
 * expiresAt index, rather than every row of the tenant tested against the ids) and binds the
 * shorter list: the ids, or the live rows of the range but the others.
 */
function expiryClause(params: Params, now: Date, soon: ExpiringSoon, bind: Bind, table: keyof typeof LIVE): string | null {
  if (params.expiry.length === 0 || params.expiry.length >= 3) return null;
  const list = (ids: string[]) => ids.map((id) => bind(id)).join(", ");
  const cutoff = ruleCutoffs(now, 0).soon;
  const range = () => `"expiresAt" > ${bind(now)} AND "expiresAt" <= ${bind(cutoff)}`;
  const { live, not } = LIVE[table];
  const others = soon.others.length > 0 ? () => ` AND "id" NOT IN (${list(soon.others)})` : () => "";
  // Functions, so that only the chosen states bind their values (positional parameters).
  const states: Record<string, () => string> = byIds(soon)
    ? {
        valid: () =>
          soon.ids.length === 0
            ? `("expiresAt" IS NULL OR "expiresAt" > ${bind(now)})`
            : `("expiresAt" IS NULL OR "expiresAt" > ${bind(cutoff)} OR (${range()} AND "id" NOT IN (${list(soon.ids)})))`,
        expiring_soon: () => (soon.ids.length === 0 ? "(1 = 0)" : `(${range()} AND "id" IN (${list(soon.ids)}))`),
      }
    : {
        valid: () =>
          `("expiresAt" IS NULL OR "expiresAt" > ${bind(cutoff)} OR (${range()} AND (${not}${soon.others.length > 0 ? ` OR "id" IN (${list(soon.others)})` : ""})))`,
        expiring_soon: () => `(${range()} AND ${live}${others()})`,
      };
  states.expired = () => `("expiresAt" <= ${bind(now)})`;
  return `(${params.expiry.map((s) => states[s]()).join(" OR ")})`;
}

/** The keys' (`keys`, queries.ts expiringSoon) and tokens' split by the one expiring-soon rule (only when the filter needs them). */
async function soonEntries(db: Db, tenantId: string, params: Params, now: Date, keys: ExpiringSoon): Promise<ExpiringSoon> {
  if (params.expiry.length === 0 || params.expiry.length >= 3) return { ids: [], others: [] };
  const tokens = await db.issuedToken.findMany({
    where: { tenantId, revokedAt: null, expiresAt: { gt: now, lte: ruleCutoffs(now, 0).soon } },
    select: { id: true, createdAt: true, expiresAt: true },
  });
  const split = splitSoon(tokens.map((t) => ({ status: "active", ...t })), now);
  return { ids: [...keys.ids, ...split.ids], others: [...keys.others, ...split.others] };
}

function keyWhere(tenantId: string, params: Params, now: Date, soon: ExpiringSoon, bind: Bind, provider: string): string {
  const and = [`"tenantId" = ${bind(tenantId)}`];
  if (params.status.length > 0 && params.status.length < KEY_STATUSES.length) and.push(`"status" IN (${params.status.map((s) => bind(s)).join(", ")})`);
  const expiry = expiryClause(params, now, soon, bind, "key");
  if (expiry) and.push(expiry);
  // As listWhere (queries.ts): the name, the prefix from its start, or the description.
  const q = params.q ? searchTerm(params.q) : "";
  if (q) and.push(`(${like(`"name"`, q, bind, provider)} OR ${like(`"prefix"`, q, bind, provider, false)} OR ${like(`"description"`, q, bind, provider)})`);
  return and.join(" AND ");
}

/** A token's status as the key filters name them: active (unrevoked) or revoked; never disabled. */
function tokenWhere(tenantId: string, params: Params, now: Date, soon: ExpiringSoon, bind: Bind, provider: string): string | null {
  const and = [`"tenantId" = ${bind(tenantId)}`];
  if (params.status.length > 0 && params.status.length < KEY_STATUSES.length) {
    const active = params.status.includes("active");
    const revoked = params.status.includes("revoked");
    if (!active && !revoked) return null;
    if (active !== revoked) and.push(active ? `"revokedAt" IS NULL` : `"revokedAt" IS NOT NULL`);
  }
  const expiry = expiryClause(params, now, soon, bind, "token");
  if (expiry) and.push(expiry);
  const q = params.q ? searchTerm(params.q) : "";
  if (q) and.push(like(`"name"`, q, bind, provider));
  return and.join(" AND ");
}

const SORT_COLUMN = { created: `"createdAt"`, expires: `"expiresAt"`, last_used: `"lastUsedAt"`, name: `"name"` } as const;

function orderBy(params: Params): string {
  const dir = params.order === "asc" ? "ASC" : "DESC";
  const column = SORT_COLUMN[params.sort];
  // NULLS LAST as Prisma's { nulls: "last" } for the two nullable columns; the id breaks ties.
  const nulls = params.sort === "expires" || params.sort === "last_used" ? " NULLS LAST" : "";
  return `${column} ${dir}${nulls}, "id" ${dir}`;
}

const count = (value: unknown) => Number(value ?? 0);

/** `groups`: the grouped view's groups on this page (grouped.ts), null when the list is not grouped. */
export type ListEntries = { rows: KeyListItem[]; total: number; tokens: number; groups: PageGroup[] | null };

/** `soonKeys`: the keys' expiringSoon at `now` if the caller read it (listApiKeys). */
export async function listEntries(
  db: Db,
  tenantId: string,
  params: Params,
  now: Date,
  rotationPolicyDays: number,
  soonKeys?: ExpiringSoon,
): Promise<ListEntries> {
  const provider = databaseProvider();
  const kinds: readonly ListKind[] = params.kind.length > 0 ? params.kind : LIST_KINDS;
  // Read once for both paths below (the keys' query and the union), and only for the expiry filter.
  const needsSoon = params.expiry.length > 0 && params.expiry.length < 3;
  const keySoon = needsSoon ? (soonKeys ?? (await expiringSoon(db, tenantId, now))) : { ids: [], others: [] };
  const keysOnly = async (): Promise<ListEntries> => {
    const { rows, total, groups } = await listApiKeys(db, tenantId, params, now, rotationPolicyDays, keySoon);
    return { rows: rows.map((row) => toKeyListItem(row, now, rotationPolicyDays)), total, tokens: 0, groups };
  };
  // Flags, service accounts and environments are the keys' alone: a token has none of them, so
  // a view filtered or grouped by them lists keys only (the toolbar says so).
  if (!kinds.includes("token") || params.flag || params.serviceAccount || params.environment || params.groupBy) return keysOnly();

  const soon = await soonEntries(db, tenantId, params, now, keySoon);
  const tokenCount = binder(provider);
  const tokenFilter = tokenWhere(tenantId, params, now, soon, tokenCount.bind, provider);
  if (tokenFilter === null) return kinds.includes("key") ? keysOnly() : { rows: [], total: 0, tokens: 0, groups: null };
  const [{ n }] = await db.$queryRawUnsafe<{ n: unknown }[]>(`SELECT COUNT(*) AS "n" FROM "IssuedToken" WHERE ${tokenFilter}`, ...tokenCount.values);
  const tokens = count(n);
  if (tokens === 0 && kinds.includes("key")) return keysOnly();

  const page = binder(provider);
  const parts = [];
  if (kinds.includes("key")) {
    parts.push(`SELECT 'key' AS "kind", "id", "name", "createdAt", "expiresAt", "lastUsedAt" FROM "ApiKey" WHERE ${keyWhere(tenantId, params, now, soon, page.bind, provider)}`);
  }
  parts.push(`SELECT 'token' AS "kind", "id", "name", "createdAt", "expiresAt", "lastUsedAt" FROM "IssuedToken" WHERE ${tokenWhere(tenantId, params, now, soon, page.bind, provider)}`);
  const union = parts.join(" UNION ALL ");
  const limit = page.bind(params.pageSize);
  const offset = page.bind((params.page - 1) * params.pageSize);
  const totalBinder = binder(provider);
  const totalSql = kinds.includes("key")
    ? `SELECT COUNT(*) AS "n" FROM "ApiKey" WHERE ${keyWhere(tenantId, params, now, soon, totalBinder.bind, provider)}`
    : null;
  const [entries, keyTotal] = await Promise.all([
    db.$queryRawUnsafe<{ kind: ListKind; id: string }[]>(`SELECT "kind", "id" FROM (${union}) AS "entries" ORDER BY ${orderBy(params)} LIMIT ${limit} OFFSET ${offset}`, ...page.values),
    totalSql ? db.$queryRawUnsafe<{ n: unknown }[]>(totalSql, ...totalBinder.values).then(([row]) => count(row?.n)) : 0,
  ]);
  const keyIds = entries.filter((e) => e.kind === "key").map((e) => e.id);
  const tokenIds = entries.filter((e) => e.kind === "token").map((e) => e.id);
  const [keyRows, tokenRows] = await Promise.all([
    keyIds.length ? db.apiKey.findMany({ where: { id: { in: keyIds }, tenantId }, select: apiKeyPublicSelect }) : [],
    tokenIds.length ? tokenItems(db, tenantId, tokenIds, now) : [],
  ]);
  const byId = new Map<string, KeyListItem>([
    ...keyRows.map((row) => [row.id, toKeyListItem(row, now, rotationPolicyDays)] as const),
    ...tokenRows.map((item) => [item.id, item] as const),
  ]);
  const rows = entries.map((e) => byId.get(e.id)).filter((row): row is KeyListItem => row !== undefined);
  return { rows, total: keyTotal + tokens, tokens, groups: null };
}

/** Tokens as list rows: a JWT badge, their scopes in the group's cell, and no credits or allowlist. */
async function tokenItems(db: Db, tenantId: string, ids: string[], now: Date): Promise<KeyListItem[]> {
  const tokens = await db.issuedToken.findMany({
    where: { id: { in: ids }, tenantId },
    select: { id: true, name: true, groupId: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true, createdAt: true, subject: true },
  });
  const groupIds = [...new Set(tokens.map((t) => t.groupId).filter((id): id is string => id !== null))];
  const groups = groupIds.length ? await db.authorizationGroup.findMany({ where: { id: { in: groupIds }, tenantId }, select: { id: true, name: true } }) : [];
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  return tokens.map((t) => {
    const expired = t.expiresAt <= now;
    return {
      kind: "token",
      id: t.id,
      name: t.name,
      description: `Signed token for ${t.subject}`,
      prefix: tokenDisplayPrefix(t.id),
      status: t.revokedAt ? "revoked" : expired ? "expired" : "active",
      expiryState: expiryState({ status: t.revokedAt ? "revoked" : "active", createdAt: t.createdAt, expiresAt: t.expiresAt }, now.getTime()),
      group: { id: t.groupId ?? "", name: t.groupId ? (groupName.get(t.groupId) ?? "") : "", scopes: t.scopes },
      ipAllowlist: "",
      expiresAt: t.expiresAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      createdAt: t.createdAt.toISOString(),
      revokedAt: t.revokedAt?.toISOString() ?? null,
      rotatingUntil: null,
      previousSecret: null,
      disabledAt: null,
      warnings: [],
      serviceAccount: null,
      environment: null,
      version: 0,
      rateLimits: null,
      credits: null,
      creditsRefill: null,
    };
  });
}
