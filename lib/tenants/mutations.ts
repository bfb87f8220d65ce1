import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import { writeAuditEvent, type Actor } from "@/lib/audit/write";
import { fail, ok, validationFailure, type Result } from "@/lib/result";
import { countingKeysWhere } from "@/lib/api-keys/where";
import { LOCKED_TX_OPTIONS, lockTenant } from "@/lib/db/tenant-lock";

const blank = (input: unknown) => input == null || (typeof input === "string" && input.trim() === "");

/**
 * The limit as a number, or as the text of the form's field when that is a whole number. No
 * coercion beyond that: z.coerce.number would turn a cleared field ("") and null into 0,
 * false into 0 and true or [1] into 1, silently saving a limit nobody typed.
 */
export const keyLimitSchema = z.object({
  keyLimit: z.preprocess(
    (input) => (typeof input === "string" && /^\s*-?\d+\s*$/.test(input) ? Number(input) : input),
    z
      .number({ error: (issue) => (blank(issue.input) ? "Enter a key limit." : "Enter a whole number.") })
      .int("Enter a whole number.")
      .min(0, "The limit cannot be negative.")
      .max(100_000, "The limit can be at most 100000."),
  ),
});

/**
 * Changes a tenant's key limit (super users only; the caller checks). Takes effect for the
 * next create at once; a limit below the current count is allowed and blocks new keys. The
 * change is audited in the tenant's own log.
 */
export async function setTenantKeyLimit(
  db: Db,
  ctx: { actor: Actor; requestId: string; now?: Date },
  tenantId: unknown,
  input: unknown,
): Promise<Result<{ keyLimit: number; used: number }>> {
  const parsed = keyLimitSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  if (typeof tenantId !== "string") return fail("not_found", "Tenant not found.");
  const now = ctx.now ?? new Date();
  return db.$transaction(async (tx): Promise<Result<{ keyLimit: number; used: number }>> => {
    if (!(await lockTenant(tx, tenantId))) return fail("not_found", "Tenant not found.");
    const before = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { keyLimit: true } });
    const tenant = await tx.tenant.update({ where: { id: tenantId }, data: { keyLimit: parsed.data.keyLimit }, select: { keyLimit: true } });
    const used = await tx.apiKey.count({ where: countingKeysWhere(tenantId, now) });
    await writeAuditEvent(tx, {
      tenantId,
      actor: ctx.actor,
      action: "tenant.limit_changed",
      requestId: ctx.requestId,
      details: { from: before.keyLimit, to: tenant.keyLimit, keysInUse: used },
      createdAt: now,
    });
    return ok({ keyLimit: tenant.keyLimit, used });
  }, LOCKED_TX_OPTIONS);
}
