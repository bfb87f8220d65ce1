import { NextResponse, type NextRequest } from "next/server";
import { db } from "@/lib/db";
import { AuthorizationError, assertCan } from "@/lib/auth/assert-can";
import { auditListSchema } from "@/lib/audit/schemas";
import { auditCsvStream } from "@/lib/audit/csv";

/** CSV of the audit log with the page's filters, streamed. */
export async function GET(request: NextRequest) {
  let context;
  try {
    context = await assertCan("audit.read");
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    return NextResponse.json({ error: error.status === 401 ? "Sign in first." : "Forbidden." }, { status: error.status });
  }
  const params = auditListSchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const day = new Date().toISOString().slice(0, 10);
  return new NextResponse(auditCsvStream(db, context.tenant.id, params), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="keyward-audit-${context.tenant.name.replace(/[^A-Za-z0-9_-]/g, "_")}-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
