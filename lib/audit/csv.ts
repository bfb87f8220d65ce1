import type { Db } from "@/lib/db/prisma";
import { auditSelect, auditWhere } from "./queries";
import type { AuditListParams } from "./schemas";

const HEADER = ["time", "seq", "actor_type", "actor", "action", "key_id", "key_prefix", "scopes", "request_id", "details"];

/** RFC 4180 quoting; cells that a spreadsheet would run as a formula are prefixed with '. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The filtered audit log as CSV, produced page by page (keyset on seq) so that exporting
 * 100,000 events never holds more than one page in memory.
 */
export function auditCsvStream(db: Db, tenantId: string, params: Omit<AuditListParams, "page" | "pageSize">, pageSize = 1000) {
  const encoder = new TextEncoder();
  const where = auditWhere(tenantId, params);
  let cursor: number | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(HEADER.join(",") + "\r\n"));
        return;
      }
      const rows = await db.auditEvent.findMany({
        where: cursor === null ? where : { AND: [where, { seq: { lt: cursor } }] },
        select: auditSelect,
        orderBy: { seq: "desc" },
        take: pageSize,
      });
      if (rows.length === 0) {
        controller.close();
        return;
      }
      cursor = rows[rows.length - 1].seq;
      const text = rows
        .map((r) =>
          [r.createdAt.toISOString(), r.seq, r.actorType, r.actorLabel, r.action, r.targetKeyId, r.keyPrefix, r.scopes, r.requestId, r.details]
            .map(csvCell)
            .join(","),
        )
        .join("\r\n");
      controller.enqueue(encoder.encode(text + "\r\n"));
      if (rows.length < pageSize) controller.close();
    },
  });
}
