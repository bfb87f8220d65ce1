import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { checkpointsDocument } from "@/lib/audit/checkpoints";
import { attachmentHeaders, auditDownloadContext } from "../download";

/** The tenant's signed audit checkpoints and the public key, as a JSON file to keep outside Keyward. */
export async function GET() {
  const context = await auditDownloadContext();
  if (context instanceof NextResponse) return context;
  const document = await checkpointsDocument(db, context.tenant);
  return new NextResponse(JSON.stringify(document, null, 2) + "\n", {
    headers: attachmentHeaders("audit-checkpoints", context.tenant.name, "json", "application/json; charset=utf-8"),
  });
}
