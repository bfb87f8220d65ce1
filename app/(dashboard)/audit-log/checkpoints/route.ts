import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { AuthorizationError, assertCan } from "@/lib/auth/assert-can";
import { checkpointsDocument } from "@/lib/audit/checkpoints";

/** The tenant's signed audit checkpoints and the public key, as a JSON file to keep outside Keyward. */
export async function GET() {
  let context;
  try {
    context = await assertCan("audit.read");
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    return NextResponse.json({ error: error.status === 401 ? "Sign in first." : "Forbidden." }, { status: error.status });
  }
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
