import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/prisma";
import { auditHash } from "./write";
import type { AuditListParams } from "./schemas";

export function auditWhere(tenantId: string, params: Omit<AuditListParams, "page" | "pageSize">): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [{ tenantId }];
  if (params.action) and.push({ action: params.action });
  if (params.actor) and.push({ actorLabel: params.actor });
  // A display prefix (kw_…) or a key id; separate conditions so that each uses its index.
  if (params.key) and.push(params.key.startsWith("kw_") ? { keyPrefix: params.key } : { targetKeyId: params.key });
  if (params.from) and.push({ createdAt: { gte: new Date(`${params.from}T00:00:00.000Z`) } });
  if (params.to) and.push({ createdAt: { lt: new Date(new Date(`${params.to}T00:00:00.000Z`).getTime() + 86_400_000) } });
  return { AND: and };
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
  const where = auditWhere(tenantId, params);
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({
      where,
      select: auditSelect,
      orderBy: auditOrder,
      skip: (params.page - 1) * params.pageSize,
      take: params.pageSize,
    }),
    db.auditEvent.count({ where }),
  ]);
  return { rows, total };
}

export type ChainReport = { ok: true; checked: number } | { ok: false; checked: number; brokenSeq: number; eventId: string; reason: string };

/**
 * Recomputes the tenant's hash chain in seq order, in pages so that memory stays flat, and
 * reports the first event whose content or link does not match.
 */
export async function verifyAuditChain(db: Db, tenantId: string, pageSize = 1000): Promise<ChainReport> {
  let previousHash: string | null = null;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const events = await db.auditEvent.findMany({
      where: { tenantId, seq: { gte: expectedSeq } },
      orderBy: { seq: "asc" },
      take: pageSize,
    });
    for (const event of events) {
      const broken = (reason: string): ChainReport => ({ ok: false, checked, brokenSeq: event.seq, eventId: event.id, reason });
      if (event.seq !== expectedSeq) return broken(`event #${expectedSeq} is missing`);
      if (event.prevHash !== previousHash) return broken("it does not link to the previous event");
      if (event.hash !== auditHash(event)) return broken("its content does not match its hash");
      previousHash = event.hash;
      expectedSeq++;
      checked++;
    }
    if (events.length < pageSize) return { ok: true, checked };
  }
}
