import type { Db } from "@/lib/db/prisma";
import { writeAuditEvent } from "@/lib/audit/write";
import { fail, ok, validationFailure, type Result } from "@/lib/result";
import { inTenantTransaction, type MutationContext } from "@/lib/api-keys/key-change";
import { environmentSchema } from "@/lib/service-accounts/schemas";
import { DEFAULT_ENVIRONMENT, defaultEnvironmentId } from "./defaults";

/**
 * Environments (issue 15): where a tenant's keys run. Every tenant starts with production,
 * staging and development (./defaults.ts: created with the tenant; the migrations gave existing
 * tenants theirs), and every key has one. Changes are audited like service accounts'.
 */
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
    // New keys without a chosen environment go to production: it stays.
    if (env.name === DEFAULT_ENVIRONMENT) return fail("conflict", `${env.name} is where new keys run unless another environment is chosen: it cannot be deleted.`);
    const active = await tx.apiKey.count({ where: { environmentId: id, status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
    if (active > 0) return fail("conflict", `${env.name} still has ${active} active key${active === 1 ? "" : "s"}: revoke them or move them first.`);
    // Its revoked and expired keys keep an environment (every key has one): production's.
    const production = await defaultEnvironmentId(tx, ctx.tenantId);
    if (!production) return fail("conflict", `${env.name} still has keys and this tenant has no production environment to move them to.`);
    const moved = await tx.apiKey.updateMany({ where: { tenantId: ctx.tenantId, environmentId: id }, data: { environmentId: production, version: { increment: 1 } } });
    await tx.environment.delete({ where: { id } });
    await writeAuditEvent(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "environment.deleted",
      requestId: ctx.requestId,
      details: { environmentId: id, name: env.name, ...(moved.count > 0 ? { keysMovedTo: DEFAULT_ENVIRONMENT, keysMoved: moved.count } : {}) },
      createdAt: now,
    });
    return ok({ id });
  }, () => {});
}
