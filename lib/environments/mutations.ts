import type { Db, Tx } from "@/lib/db/prisma";
import { writeAuditEvent } from "@/lib/audit/write";
import { fail, ok, validationFailure, type Result } from "@/lib/result";
import { inTenantTransaction, type MutationContext } from "@/lib/api-keys/key-change";
import { DEFAULT_ENVIRONMENTS, environmentSchema } from "@/lib/service-accounts/schemas";

/**
 * Environments (issue 15): where a tenant's keys run. Every tenant starts with production,
 * staging and development (the migration gives existing tenants theirs; ensureDefaultEnvironments
 * new ones). Changes are audited like service accounts'.
 */
export async function ensureDefaultEnvironments(tx: Tx, tenantId: string) {
  for (const name of DEFAULT_ENVIRONMENTS) {
    const found = await tx.environment.findFirst({ where: { tenantId, name }, select: { id: true } });
    if (!found) await tx.environment.create({ data: { tenantId, name } });
  }
}

export async function createEnvironment(db: Db, ctx: MutationContext, input: unknown): Promise<Result<{ id: string; name: string }>> {
  const parsed = environmentSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const now = ctx.now ?? new Date();
  return inTenantTransaction(db, ctx.tenantId, async (tx) => {
    if (await tx.environment.findFirst({ where: { tenantId: ctx.tenantId, name: parsed.data.name }, select: { id: true } })) {
      return fail("validation", "Some fields need attention.", { name: ["This environment exists already."] });
    }
    const env = await tx.environment.create({ data: { tenantId: ctx.tenantId, name: parsed.data.name, createdAt: now }, select: { id: true, name: true } });
    await writeAuditEvent(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: "environment.created", requestId: ctx.requestId, details: { environmentId: env.id, name: env.name }, createdAt: now });
    return ok(env);
  }, () => {});
}

export async function deleteEnvironment(db: Db, ctx: MutationContext, id: string): Promise<Result<{ id: string }>> {
  const now = ctx.now ?? new Date();
  return inTenantTransaction(db, ctx.tenantId, async (tx) => {
    const env = await tx.environment.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { id: true, name: true } });
    if (!env) return fail("not_found", "Environment not found.");
    const active = await tx.apiKey.count({ where: { environmentId: id, status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
    if (active > 0) return fail("conflict", `${env.name} still has ${active} active key${active === 1 ? "" : "s"}: revoke them or move them first.`);
    await tx.environment.delete({ where: { id } });
    await writeAuditEvent(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: "environment.deleted", requestId: ctx.requestId, details: { environmentId: id, name: env.name }, createdAt: now });
    return ok({ id });
  }, () => {});
}
