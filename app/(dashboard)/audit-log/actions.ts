"use server";

import { db } from "@/lib/db";
import { withPermission } from "@/lib/auth/action-context";
import { checkpointVerifiedHead } from "@/lib/audit/checkpoints";
import { verifyAuditChain, type ChainReport } from "@/lib/audit/verify-chain";
import { ok, type Result } from "@/lib/result";

/**
 * Recomputes the current tenant's audit chain, checks it against the signed checkpoints and
 * reports the first bad event (a broken chain is a report, not a failure). An intact chain whose
 * head is newer than the last checkpoint gets a new signed checkpoint of that head
 * (lib/audit/checkpoints.ts).
 */
export async function verifyAuditChainAction(): Promise<Result<ChainReport>> {
  return withPermission("audit.read", async (ctx) => {
    const report = await verifyAuditChain(db, ctx.tenantId);
    if (!report.ok || !report.head) return ok(report);
    const made = await checkpointVerifiedHead(db, { tenantId: ctx.tenantId, ...report.head });
    if (!made) return ok(report);
    return ok({ ...report, checkpoints: report.checkpoints + 1, lastCheckpoint: { seq: made.seq, createdAt: made.createdAt.toISOString() } });
  });
}
