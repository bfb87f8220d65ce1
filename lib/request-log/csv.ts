import type { Db } from "@/lib/db/prisma";
import { csvCell } from "@/lib/audit/csv";
import { readInOrder, requestLogOrder, requestLogSelect, requestLogWhere } from "./queries";
import type { RequestLogFilters } from "./schemas";

const HEADER = ["time", "request_id", "outcome", "client_ip", "method", "path", "user_agent", "source", "token_id"];

/**
 * One key's request log with the page's filters as CSV, newest first, page by page (keyset on
 * at, id) so that exporting a million entries never holds more than one page in memory. Cells
 * are quoted as the audit export's (a user agent that looks like a formula is defused).
 */
export function requestLogCsvStream(db: Db, tenantId: string, keyId: string, filters: RequestLogFilters, pageSize = 2000) {
  const encoder = new TextEncoder();
  let cursor: { at: Date; id: number } | undefined;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(HEADER.join(",") + "\r\n"));
        return;
      }
      const rows = await readInOrder(db, (tx) =>
        tx.requestLog.findMany({
          where: requestLogWhere(tenantId, keyId, filters, cursor),
          select: requestLogSelect,
          orderBy: requestLogOrder,
          take: pageSize,
        }),
      );
      if (rows.length === 0) {
        controller.close();
        return;
      }
      const last = rows[rows.length - 1];
      cursor = { at: last.at, id: last.id };
      const text = rows
        .map((r) => [r.at.toISOString(), r.requestId, r.outcome, r.clientIp, r.method, r.path, r.userAgent, r.source, r.tokenId].map(csvCell).join(","))
        .join("\r\n");
      controller.enqueue(encoder.encode(text + "\r\n"));
    },
  });
}
