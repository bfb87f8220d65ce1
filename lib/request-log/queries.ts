import type { Db } from "@/lib/db/prisma";
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

/**
 * One key's entries with the page's filters. Each filter has an index that serves it newest
 * first (keyId + outcome | clientIp | nothing, then at, id), so the first page costs the same at
 * a million entries as at a thousand. tenantId is checked too: the key was found in the
 * reader's tenant, and its entries must be that tenant's.
 */
export function requestLogWhere(tenantId: string, keyId: string, filters: Omit<RequestLogFilters, "before">, cursor?: { at: Date; id: number }) {
  const at = filters.from || filters.to ? { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lte: filters.to } : {}) } : undefined;
  return {
    keyId,
    tenantId,
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(filters.ip ? { clientIp: filters.ip } : {}),
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
  const rows = await db.requestLog.findMany({
    where: requestLogWhere(tenantId, keyId, filters, decodeCursor(filters.before)),
    select: requestLogSelect,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: take + 1,
  });
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
  const recentRows = await db.requestLog.findMany({
    where: { keyId, tenantId, at: { gte: dayAgo }, clientIp: { not: null } },
    select: { clientIp: true, at: true },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: 10_000,
  });
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
