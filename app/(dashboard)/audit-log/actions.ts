"use server";

import { db } from "@/lib/db";
import { AuthorizationError, authorize } from "@/lib/auth/session";
import { verifyAuditChain, type ChainReport } from "@/lib/audit/queries";

/** Recomputes the current tenant's audit hash chain and reports the first broken link. */
export async function verifyAuditChainAction(): Promise<ChainReport | { ok: false; error: string }> {
  try {
    const context = await authorize("audit.read");
    return await verifyAuditChain(db, context.tenant.id);
  } catch (error) {
    if (error instanceof AuthorizationError) return { ok: false, error: error.message };
    throw error;
  }
}
