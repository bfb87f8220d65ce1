import type { Db, Tx } from "@/lib/db/prisma";
import { writeAuditEvent } from "@/lib/audit/write";
import { fail, ok, validationFailure, type Result } from "@/lib/result";
import { inTenantTransaction, type MutationContext } from "@/lib/api-keys/key-change";
import { serviceAccountSchema } from "./schemas";

/**
 * Service accounts (issue 15): a tenant's non-human callers that own keys, each with a person
 * of the tenant who answers for it. Every change is one transaction with its audit event, in
 * the tenant's lock (the audit chain's order); all checks come before the first write, so a
 * refusal writes nothing.
 */
export type ServiceAccountRow = { id: string; name: string; description: string | null; ownerUserId: string };
const select = { id: true, name: true, description: true, ownerUserId: true } as const;
const NOT_FOUND = "Service account not found.";
const NAME_TAKEN = { name: ["A service account with this name exists already."] };

async function ownerIsMember(tx: Tx, tenantId: string, userId: string) {
  return (await tx.membership.findFirst({ where: { tenantId, userId }, select: { id: true } })) !== null;
}

const OWNER_NOT_MEMBER = { ownerUserId: ["The owner must be a member of this tenant."] };

export async function createServiceAccount(db: Db, ctx: MutationContext, input: unknown): Promise<Result<ServiceAccountRow>> {
  const parsed = serviceAccountSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const values = parsed.data;
  const now = ctx.now ?? new Date();
  return inTenantTransaction(db, ctx.tenantId, async (tx) => {
    if (!(await ownerIsMember(tx, ctx.tenantId, values.ownerUserId))) return fail("validation", "Some fields need attention.", OWNER_NOT_MEMBER);
    if (await tx.serviceAccount.findFirst({ where: { tenantId: ctx.tenantId, name: values.name }, select: { id: true } })) {
      return fail("validation", "Some fields need attention.", NAME_TAKEN);
    }
    const account = await tx.serviceAccount.create({
      data: { tenantId: ctx.tenantId, name: values.name, description: values.description || null, ownerUserId: values.ownerUserId, createdAt: now },
      select,
    });
    await writeAuditEvent(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "service_account.created",
      requestId: ctx.requestId,
      details: { serviceAccountId: account.id, name: account.name, ownerUserId: account.ownerUserId },
      createdAt: now,
    });
    return ok(account);
  }, () => {});
}

export async function updateServiceAccount(db: Db, ctx: MutationContext, id: string, input: unknown): Promise<Result<ServiceAccountRow>> {
  const parsed = serviceAccountSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const values = parsed.data;
  const now = ctx.now ?? new Date();
  return inTenantTransaction(db, ctx.tenantId, async (tx) => {
    const current = await tx.serviceAccount.findFirst({ where: { id, tenantId: ctx.tenantId }, select });
    if (!current) return fail("not_found", NOT_FOUND);
    if (!(await ownerIsMember(tx, ctx.tenantId, values.ownerUserId))) return fail("validation", "Some fields need attention.", OWNER_NOT_MEMBER);
    const clash = await tx.serviceAccount.findFirst({ where: { tenantId: ctx.tenantId, name: values.name, NOT: { id } }, select: { id: true } });
    if (clash) return fail("validation", "Some fields need attention.", NAME_TAKEN);
    const next = { name: values.name, description: values.description || null, ownerUserId: values.ownerUserId };
    const changes = Object.fromEntries(
      (Object.keys(next) as (keyof typeof next)[]).filter((f) => next[f] !== current[f]).map((f) => [f, { from: current[f], to: next[f] }]),
    );
    const account = await tx.serviceAccount.update({ where: { id }, data: next, select });
    await writeAuditEvent(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "service_account.updated",
      requestId: ctx.requestId,
      details: { serviceAccountId: id, changes },
      createdAt: now,
    });
    return ok(account);
  }, () => {});
}

/** Refused while the account owns active keys: revoke or move them first. Revoked keys keep their history, without the account. */
export async function deleteServiceAccount(db: Db, ctx: MutationContext, id: string): Promise<Result<{ id: string }>> {
  const now = ctx.now ?? new Date();
  return inTenantTransaction(db, ctx.tenantId, async (tx) => {
    const current = await tx.serviceAccount.findFirst({ where: { id, tenantId: ctx.tenantId }, select });
    if (!current) return fail("not_found", NOT_FOUND);
    const active = await tx.apiKey.count({ where: { serviceAccountId: id, status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
    if (active > 0) {
      return fail("conflict", `${current.name} still owns ${active} active key${active === 1 ? "" : "s"}: revoke them or move them to another service account first.`);
    }
    await tx.serviceAccount.delete({ where: { id } });
    await writeAuditEvent(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "service_account.deleted",
      requestId: ctx.requestId,
      details: { serviceAccountId: id, name: current.name },
      createdAt: now,
    });
    return ok({ id });
  }, () => {});
}
