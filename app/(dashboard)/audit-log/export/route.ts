import { NextResponse, type NextRequest } from "next/server";
import { db } from "@/lib/db";
import { can } from "@/lib/auth/permissions";
import { getTenantContext } from "@/lib/auth/session";
import { auditListSchema } from "@/lib/audit/schemas";
import { auditCsvStream } from "@/lib/audit/csv";

/** CSV of the audit log with the page's filters, streamed. */
export async function GET(request: NextRequest) {
  const context = await getTenantContext();
  if (!context) return NextResponse.json({ error: "Sign in first." }, { status: 401 });
  if (!can(context.role, "audit.read")) return NextResponse.json({ error: "Forbidden." }, { status: 403 });
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
