import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { can } from "@/lib/auth/permissions";
import { getTenantContext } from "@/lib/auth/session";
import { checkpointsDocument } from "@/lib/audit/checkpoints";

/** The tenant's signed audit checkpoints and the public key, as a JSON file to keep outside Keyward. */
export async function GET() {
  const context = await getTenantContext();
  if (!context) return NextResponse.json({ error: "Sign in first." }, { status: 401 });
  if (!can(context.role, "audit.read")) return NextResponse.json({ error: "Forbidden." }, { status: 403 });
  const document = await checkpointsDocument(db, context.tenant);
  const day = new Date().toISOString().slice(0, 10);
  return new NextResponse(JSON.stringify(document, null, 2) + "\n", {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="keyward-audit-checkpoints-${context.tenant.name.replace(/[^A-Za-z0-9_-]/g, "_")}-${day}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
