import { NextResponse, type NextRequest } from "next/server";
import { db } from "@/lib/db";
import { auditListSchema } from "@/lib/audit/schemas";
import { auditCsvStream } from "@/lib/audit/csv";
import { attachmentHeaders, auditDownloadContext } from "../download";

/** CSV of the audit log with the page's filters, streamed. */
export async function GET(request: NextRequest) {
  const context = await auditDownloadContext();
  if (context instanceof NextResponse) return context;
  const params = auditListSchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  return new NextResponse(auditCsvStream(db, context.tenant.id, params), {
    headers: attachmentHeaders("audit", context.tenant.name, "csv", "text/csv; charset=utf-8"),
  });
}
