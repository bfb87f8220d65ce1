import { databaseUrlOf, type Db, type Tx } from "@/lib/db/prisma";
import { databaseProvider } from "@/lib/db/database-url";
import type { RequestLogFilters } from "./schemas";
import { REQUEST_OUTCOMES } from "./types";

export const REQUEST_LOG_PAGE = 50;
const DAY = 86_400_000;
const FAILURES = REQUEST_OUTCOMES.filter((o) => o !== "VALID");

export const requestLogSelect = {
  id: true,
  at: true,
  requestId: true,
  outcome: true,
  clientIp: true,
  method: true,
  path: true,
  userAgent: true,
  source: true,
  tokenId: true,
} as const;

/** Newest first: the order of every (keyId, ..., at, id) index read backwards. */
export const requestLogOrder = [{ at: "desc" as const }, { id: "desc" as const }];

/**
 * Runs a newest-first read of one key's entries so that it is served by a (keyId, ..., at, id)
 * index on both databases. SQLite picks that index by itself. PostgreSQL, once it has statistics
 * of a table where one key holds most entries, took the `at` index (pruning's) read backwards,
 * with a Filter on keyId and an Incremental Sort for id ties: it reckons that index's heap order
 * cheaper (at is correlated with the table's order, keyId is not), then reads and discards every
 * newer entry of the other keys (4.4 ms instead of 0.06 ms past 20,000 of them). An ORDER BY
 * "keyId", at, id does not help: with keyId = $1 the planner drops keyId from the sort keys.
 * Without incremental sorts (for this transaction only) the `at` index can serve the order only
 * through a sort of all the key's entries, so the composite index is the one plan that stops
 * after a page whatever the statistics say. tests: lib/request-log/plan.test.ts.
 */
export function readInOrder<T>(db: Db, read: (tx: Tx) => Promise<T>): Promise<T> {
  if (databaseProvider(databaseUrlOf(db)) !== "postgresql") return read(db);
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_incremental_sort = off");
    return read(tx);
  });
}

/**
 * One key's entries with the page's filters. Each filter has an index that serves it newest
 * first (keyId + outcome | clientIp | via | nothing, then at, id; read through readInOrder), so the
 * first page costs the same at a million entries as at a thousand. tenantId is checked too: the key was found in the
 * reader's tenant, and its entries must be that tenant's.
 */
export function requestLogWhere(tenantId: string, keyId: string, filters: Omit<RequestLogFilters, "before">, cursor?: { at: Date; id: number }) {
  const at = filters.from || filters.to ? { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lte: filters.to } : {}) } : undefined;
  return {
    keyId,
    tenantId,
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(filters.ip ? { clientIp: filters.ip } : {}),
    ...(filters.via ? { via: filters.via } : {}),
    ...(at ? { at } : {}),
    ...(cursor ? { OR: [{ at: { lt: cursor.at } }, { at: cursor.at, id: { lt: cursor.id } }] } : {}),
  };
}

export function decodeCursor(before: string | undefined): { at: Date; id: number } | undefined {
  if (!before) return undefined;
  const [at, id] = before.split(":").map(Number);
  return { at: new Date(at), id };
}

export async function requestLogPage(db: Db, tenantId: string, keyId: string, filters: RequestLogFilters, take = REQUEST_LOG_PAGE) {
  const rows = await readInOrder(db, (tx) =>
    tx.requestLog.findMany({
      where: requestLogWhere(tenantId, keyId, filters, decodeCursor(filters.before)),
      select: requestLogSelect,
      orderBy: requestLogOrder,
      take: take + 1,
    }),
  );
  const more = rows.length > take;
  if (more) rows.length = take;
  const last = rows[rows.length - 1];
  return { rows, next: more && last ? `${last.at.getTime()}:${last.id}` : null };
}

/**
 * The two hints of the key page. New addresses: seen in the last 24 hours and not in the 30 days
 * before (each checked with one lookup on the address index). Failure spikes: hours of the last
 * 24 with at least 5 failures and at least three times the hourly failure average of the day.
 */
export async function requestLogHints(db: Db, tenantId: string, keyId: string, now = new Date()) {
  const dayAgo = new Date(now.getTime() - DAY);
  // Addresses of the last day, from its newest 10,000 entries (Prisma's groupBy is not on the
  // client type both providers share; the day's entries are read through the (keyId, at) index).
  const recentRows = await readInOrder(db, (tx) =>
    tx.requestLog.findMany({
      where: { keyId, tenantId, at: { gte: dayAgo }, clientIp: { not: null } },
      select: { clientIp: true, at: true },
      orderBy: requestLogOrder,
      take: 10_000,
    }),
  );
  const recent = new Map<string, { firstSeen: Date; requests: number }>();
  for (const row of recentRows) {
    const seen = recent.get(row.clientIp!);
    if (seen) {
      seen.requests += 1;
      seen.firstSeen = row.at;
    } else recent.set(row.clientIp!, { firstSeen: row.at, requests: 1 });
  }
  const monthBefore = new Date(dayAgo.getTime() - 30 * DAY);
  const newAddresses: { ip: string; firstSeen: Date; requests: number }[] = [];
  for (const [ip, { firstSeen, requests }] of [...recent].slice(0, 50)) {
    const before = await db.requestLog.findFirst({
      where: { keyId, tenantId, clientIp: ip, at: { gte: monthBefore, lt: dayAgo } },
      select: { id: true },
    });
    if (!before) newAddresses.push({ ip, firstSeen, requests });
  }
  const failures = await db.requestLog.findMany({
    where: { keyId, tenantId, outcome: { in: [...FAILURES] }, at: { gte: dayAgo } },
    select: { at: true },
    take: 100_000,
  });
  const hours = new Map<number, number>();
  for (const { at } of failures) {
    const hour = Math.floor(at.getTime() / 3_600_000);
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
  }
  const average = failures.length / 24;
  const spikes = [...hours]
    .filter(([, count]) => count >= 5 && count >= 3 * average)
    .sort(([a], [b]) => b - a)
    .map(([hour, count]) => ({ hour: new Date(hour * 3_600_000), failures: count }));
  return { newAddresses, spikes };
}
