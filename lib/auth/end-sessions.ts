import type { Db } from "@/lib/db/prisma";
import { writeAuditEvent, type Actor } from "@/lib/audit/write";
import { fail, ok, type Result } from "@/lib/result";
import { LOCKED_TX_OPTIONS, lockTenant } from "@/lib/db/tenant-lock";

/**
 * A super user ends every open session of a user (a lost laptop, a leaving employee); the
 * caller checks the permission. Recorded in the audit log of every tenant the user belongs to,
 * in the same transaction, so each tenant's admins can see who was signed out and by whom.
 */
export async function endSessionsOfUser(
  db: Db,
  ctx: { actor: Actor; requestId: string; now?: Date },
  userId: unknown,
): Promise<Result<{ ended: number }>> {
  if (typeof userId !== "string") return fail("not_found", "User not found.");
  const now = ctx.now ?? new Date();
  return db.$transaction(async (tx): Promise<Result<{ ended: number }>> => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, memberships: { select: { tenantId: true } } } });
    if (!user) return fail("not_found", "User not found.");
    const { count } = await tx.session.updateMany({
      where: { userId, endedAt: null, expiresAt: { gt: now } },
      data: { endedAt: now, endReason: "ended_by_admin" },
    });
    for (const { tenantId } of user.memberships) {
      // The tenant's row lock orders this event in the tenant's chain (see writeAuditEvent).
      await lockTenant(tx, tenantId);
      await writeAuditEvent(tx, {
        tenantId,
        actor: ctx.actor,
        action: "user.sessions_ended",
        requestId: ctx.requestId,
        details: { user: user.email, sessionsEnded: count },
        createdAt: now,
      });
    }
    return ok({ ended: count });
  }, LOCKED_TX_OPTIONS);
}
