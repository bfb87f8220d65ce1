import { NextResponse, type NextRequest } from "next/server";
import { db } from "@/lib/db";
import { AuthorizationError, assertCan } from "@/lib/auth/assert-can";
import { findApiKey } from "@/lib/api-keys/queries";
import { parseRequestLogFilters } from "@/lib/request-log/schemas";
import { requestLogCsvStream } from "@/lib/request-log/csv";
import { attachmentHeaders } from "../../../audit-log/download";

/** CSV of one key's request log with the key page's filters, streamed. */
export async function GET(request: NextRequest, route: { params: Promise<{ keyId: string }> }) {
  let context;
  try {
    context = await assertCan("keys.read");
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    return NextResponse.json({ error: error.status === 401 ? "Sign in first." : "Forbidden." }, { status: error.status });
  }
  // Read after the permission check: nothing about the key is looked at before it.
  const { keyId } = await route.params;
  // Another tenant's key is the same 404 as one that does not exist.
  const key = await findApiKey(db, context.tenant.id, keyId);
  if (!key) return NextResponse.json({ error: "No such key." }, { status: 404 });
  const { filters, errors } = parseRequestLogFilters(Object.fromEntries(request.nextUrl.searchParams));
  if (!filters) return NextResponse.json({ error: "Some filters need attention.", fieldErrors: errors }, { status: 400 });
  return new NextResponse(requestLogCsvStream(db, context.tenant.id, key.id, { ...filters, before: undefined }), {
    headers: attachmentHeaders(`requests-${key.prefix.replace(/[^A-Za-z0-9_]/g, "_")}`, context.tenant.name, "csv", "text/csv; charset=utf-8"),
  });
}
