import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db";
import type { ApiKeyListParams } from "./schemas";
import { apiKeyPublicSelect, type ApiKeyRow } from "./row";

/** One group of the list: an environment or service account (id null: keys without one) and its key count. */
export type KeyGroup = { id: string | null; name: string | null; count: number };
/** A group as one page shows it: `continued` when its first keys were on the pages before. */
export type PageGroup = KeyGroup & { continued: boolean };

type Field = "environmentId" | "serviceAccountId";

/** What a key belongs to in the grouped view: its environment's or service account's id, or null. */
export function groupIdOf(row: { environment: { id: string } | null; serviceAccount: { id: string } | null }, groupBy: NonNullable<ApiKeyListParams["groupBy"]>) {
  return (groupBy === "environment" ? row.environment?.id : row.serviceAccount?.id) ?? null;
}

/**
 * Groups in name order (case-insensitive, then id, so two accounts of one name stay apart), keys
 * without one last. Ordered here, not in SQL: SQLite and PostgreSQL collate names differently and
 * sort NULL at opposite ends, and a tenant has a handful of groups.
 */
export function orderGroups(groups: KeyGroup[]): KeyGroup[] {
  return [...groups].sort((a, b) => {
    if (a.id === null || b.id === null) return a.id === null ? (b.id === null ? 0 : 1) : -1;
    const byName = (a.name ?? "").localeCompare(b.name ?? "", "en", { sensitivity: "base" });
    return byName !== 0 ? byName : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** Which part of each group one page holds: groups are laid end to end in order, the page is a window on them. */
export function pageSlices(groups: KeyGroup[], page: number, pageSize: number) {
  const start = (page - 1) * pageSize;
  const end = start + pageSize;
  const slices: { group: KeyGroup; skip: number; take: number }[] = [];
  let offset = 0;
  for (const group of groups) {
    const groupEnd = offset + group.count;
    if (groupEnd > start && offset < end) {
      const skip = Math.max(0, start - offset);
      slices.push({ group, skip, take: Math.min(groupEnd, end) - offset - skip });
    }
    offset = groupEnd;
  }
  return slices;
}

/**
 * One page of keys grouped by environment or service account, each group in the list's sort.
 * A count per group on the list's filters gives the headers' numbers and the total;
 * the page then reads, from each group it overlaps, its slice with `"tenantId" = ? AND
 * "<group>Id" = ?` ordered by the sort: for the default sort that is a range of the
 * (tenantId, <group>Id, createdAt, id) index. Groups wholly on the page are read in one query,
 * so a page costs at most three reads whatever the number of groups on it.
 */
export async function listGroupedKeys(
  db: Db,
  tenantId: string,
  params: ApiKeyListParams & { groupBy: NonNullable<ApiKeyListParams["groupBy"]> },
  where: Prisma.ApiKeyWhereInput,
  orderBy: Prisma.ApiKeyOrderByWithRelationInput[],
): Promise<{ rows: ApiKeyRow[]; total: number; groups: PageGroup[] }> {
  const field: Field = params.groupBy === "environment" ? "environmentId" : "serviceAccountId";
  // Prisma's groupBy is outside Db (lib/db/prisma.ts: its result types differ per client), so
  // the counts are the groups' filtered relation counts (one correlated COUNT per group, each on
  // the index above) and one COUNT of the keys without one.
  const count = { select: { apiKeys: { where } } } as const;
  const select = { id: true, name: true, _count: count } as const;
  const [named, none] = await Promise.all([
    field === "environmentId"
      ? db.environment.findMany({ where: { tenantId }, select })
      : db.serviceAccount.findMany({ where: { tenantId }, select }),
    db.apiKey.count({ where: { AND: [where, { [field]: null }] } }),
  ]);
  const counted: KeyGroup[] = named.map((g) => ({ id: g.id, name: g.name, count: g._count.apiKeys }));
  if (none > 0) counted.push({ id: null, name: null, count: none });
  const groups = orderGroups(counted.filter((g) => g.count > 0));
  const total = groups.reduce((sum, g) => sum + g.count, 0);

  const slices = pageSlices(groups, params.page, params.pageSize);
  const inGroup = (id: string | null): Prisma.ApiKeyWhereInput => ({ [field]: id });
  const whole = slices.filter((s) => s.skip === 0 && s.take === s.group.count);
  const parts = slices.filter((s) => !whole.includes(s));
  const wholeIds = whole.map((s) => s.group.id);
  const [wholeRows, ...partRows] = await Promise.all([
    wholeIds.length === 0
      ? []
      : db.apiKey.findMany({ where: { AND: [where, { OR: wholeIds.map(inGroup) }] }, select: apiKeyPublicSelect, orderBy }),
    ...parts.map((s) =>
      db.apiKey.findMany({ where: { AND: [where, inGroup(s.group.id)] }, select: apiKeyPublicSelect, orderBy, skip: s.skip, take: s.take }),
    ),
  ]);
  const groupBy = params.groupBy;
  const rows = slices.flatMap((s) => {
    const part = parts.indexOf(s);
    // A group read with others is cut to its own rows (and to its count: a key added since the
    // count would otherwise push the page past its size).
    return part >= 0 ? partRows[part] : wholeRows.filter((row) => groupIdOf(row, groupBy) === s.group.id).slice(0, s.take);
  });
  return { rows, total, groups: slices.map((s) => ({ ...s.group, continued: s.skip > 0 })) };
}
