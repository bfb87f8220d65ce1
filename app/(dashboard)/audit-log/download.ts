import { NextResponse } from "next/server";
import { AuthorizationError, assertCan } from "@/lib/auth/assert-can";
import type { TenantContext } from "@/lib/auth/session";

/**
 * The audit log's downloads (CSV export, checkpoints file): the reader's tenant context through
 * the one check, or the JSON refusal the route answers with instead.
 */
export async function auditDownloadContext(): Promise<TenantContext | NextResponse> {
  try {
    return await assertCan("audit.read");
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    return NextResponse.json({ error: error.status === 401 ? "Sign in first." : "Forbidden." }, { status: error.status });
  }
}

/** An attachment's headers: `keyward-<kind>-<tenant>-<UTC day>.<extension>`, never cached. */
export function attachmentHeaders(kind: string, tenantName: string, extension: string, contentType: string): HeadersInit {
  const day = new Date().toISOString().slice(0, 10);
  return {
    "Content-Type": contentType,
    "Content-Disposition": `attachment; filename="keyward-${kind}-${tenantName.replace(/[^A-Za-z0-9_-]/g, "_")}-${day}.${extension}"`,
    "Cache-Control": "no-store",
  };
}
