"use server";

import { db } from "@/lib/db";
import { AuthorizationError, assertCan } from "@/lib/auth/assert-can";
import { checkpointVerifiedHead } from "@/lib/audit/checkpoints";
import { verifyAuditChain, type ChainReport } from "@/lib/audit/verify-chain";

export type VerifyChainResult = ChainReport | { ok: false; error: string };

/**
 * Recomputes the current tenant's audit chain, checks it against the signed checkpoints and
 * reports the first bad event. An intact chain whose head is newer than the last checkpoint gets
 * a new signed checkpoint of that head (lib/audit/checkpoints.ts).
 */
export async function verifyAuditChainAction(): Promise<VerifyChainResult> {
  try {
    const context = await assertCan("audit.read");
    const report = await verifyAuditChain(db, context.tenant.id);
    if (!report.ok || !report.head) return report;
    const made = await checkpointVerifiedHead(db, { tenantId: context.tenant.id, ...report.head });
    if (!made) return report;
    return { ...report, checkpoints: report.checkpoints + 1, lastCheckpoint: { seq: made.seq, createdAt: made.createdAt.toISOString() } };
  } catch (error) {
    if (error instanceof AuthorizationError) return { ok: false, error: error.message };
    throw error;
  }
}
