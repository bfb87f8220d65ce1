import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/prisma";
import type { AuditListParams } from "./schemas";

type AuditFilters = Omit<AuditListParams, "page" | "pageSize">;

/** The conditions the filters add to the tenant's own: none when the view is unfiltered. */
function filterConditions(params: AuditFilters): Prisma.AuditEventWhereInput[] {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (params.action) and.push({ action: params.action });
  if (params.actorType) and.push({ actorType: params.actorType });
  if (params.actor) and.push({ actorLabel: params.actor });
  // A display prefix (kw_…) or a key id; separate conditions so that each uses its index.
  if (params.key) and.push(params.key.startsWith("kw_") ? { keyPrefix: params.key } : { targetKeyId: params.key });
  if (params.from) and.push({ createdAt: { gte: new Date(`${params.from}T00:00:00.000Z`) } });
  if (params.to) and.push({ createdAt: { lt: new Date(new Date(`${params.to}T00:00:00.000Z`).getTime() + 86_400_000) } });
  return and;
}

export function auditWhere(tenantId: string, params: AuditFilters): Prisma.AuditEventWhereInput {
  return { AND: [{ tenantId }, ...filterConditions(params)] };
}

/** Newest first: seq is assigned under the tenant's lock, so it is the true order of events. */
export const auditOrder: Prisma.AuditEventOrderByWithRelationInput = { seq: "desc" };

export const auditSelect = {
  id: true,
  seq: true,
  actorType: true,
  actorLabel: true,
  action: true,
  targetKeyId: true,
  keyPrefix: true,
  scopes: true,
  details: true,
  requestId: true,
  createdAt: true,
} satisfies Prisma.AuditEventSelect;

export async function listAuditEvents(db: Db, tenantId: string, params: AuditListParams) {
  const filters = filterConditions(params);
  const where: Prisma.AuditEventWhereInput = { AND: [{ tenantId }, ...filters] };
  const page = { orderBy: auditOrder, skip: (params.page - 1) * params.pageSize, take: params.pageSize };
  const [rows, total] = await Promise.all([
    params.from || params.to
      ? // A date range is served by (tenantId, createdAt, seq), which is not in seq order: sorting
        // whole rows of a busy week to keep one page took 20 ms at 100,000 events (bench:audit).
        // So the page's seqs are chosen from the index alone, then only those rows are read.
        db.auditEvent
          .findMany({ where, select: { seq: true }, ...page })
          .then((seqs) =>
            db.auditEvent.findMany({ where: { tenantId, seq: { in: seqs.map((e) => e.seq) } }, select: auditSelect, orderBy: auditOrder }),
          )
      : db.auditEvent.findMany({ where, select: auditSelect, ...page }),
    filters.length === 0 ? lastSeq(db, tenantId) : db.auditEvent.count({ where }),
  ]);
  return { rows, total };
}

/**
 * The number of the tenant's events without counting them: seq runs 1, 2, ... with no gap (each
 * event takes the last seq + 1 under the tenant's lock, and none is ever deleted), so the last
 * one is the count. A gap would be tampering, which Verify chain reports (lib/audit/verify-chain.ts).
 */
async function lastSeq(db: Db, tenantId: string): Promise<number> {
  const last = await db.auditEvent.findFirst({ where: { tenantId }, orderBy: { seq: "desc" }, select: { seq: true } });
  return last?.seq ?? 0;
}

/** A key's own events, oldest first (its page's status timeline); at most `take`. */
export async function keyEvents(db: Db, tenantId: string, keyId: string, take = 200) {
  return db.auditEvent.findMany({
    where: { tenantId, targetKeyId: keyId },
    orderBy: { seq: "asc" },
    select: { id: true, action: true, actorLabel: true, createdAt: true },
    take,
  });
}
