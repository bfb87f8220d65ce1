import type { Db } from "@/lib/db/prisma";
import { writeAuditEvent } from "@/lib/audit/write";
import { publishKeyChange } from "@/lib/db/key-change-bus";
import { fail, ok, validationFailure, type Result } from "@/lib/result";
import { evictTenant } from "@/lib/api-keys/key-cache";
import { inTenantTransaction, type MutationContext } from "@/lib/api-keys/key-change";
import { KEY_GROUP_TYPE } from "@/lib/api-keys/where";
import { groupRateLimitsSchema, type RateLimitWindow } from "./schemas";
import { windowsOf } from "./key-fields";

// An authorization group's rate limit windows (issue 13), set from Settings. Keys whose own
// rateLimits are null follow them; keys with their own (or [] for none) keep theirs. The group
// stores null for "no windows", so [] and null from the caller mean the same.

export const GROUP_NOT_FOUND = "Authorization group not found.";

export type GroupLimits = { id: string; name: string; rateLimits: RateLimitWindow[] | null };

const columnOf = (windows: RateLimitWindow[] | null) =>
  windows && windows.length > 0 ? JSON.stringify(windows.map((w) => ({ limit: w.limit, windowSeconds: w.windowSeconds }))) : null;

/**
 * Sets the windows of one of the tenant's tenant_api_key groups (the caller checks the role),
 * in one transaction under the tenant's lock: update, audit (`group.rate_limits_changed`, from
 * and to), and a tenant-wide key change published to the other instances. This instance's cache
 * drops the tenant's keys afterwards, so the next verification of any key of the group reads
 * the new windows instead of the cached ones.
 */
export async function setGroupRateLimits(db: Db, ctx: MutationContext, groupId: unknown, input: unknown): Promise<Result<GroupLimits>> {
  const parsed = groupRateLimitsSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  if (typeof groupId !== "string") return fail("not_found", GROUP_NOT_FOUND);
  const now = ctx.now ?? new Date();
  const rateLimits = columnOf(parsed.data.rateLimits);
  return inTenantTransaction(
    db,
    ctx.tenantId,
    async (tx): Promise<Result<GroupLimits>> => {
      // Scoped by tenant and type: another tenant's group, or a user group, is simply not found.
      const group = await tx.authorizationGroup.findFirst({
        where: { id: groupId, tenantId: ctx.tenantId, type: KEY_GROUP_TYPE },
        select: { id: true, name: true, scopes: true, rateLimits: true },
      });
      if (!group) return fail("not_found", GROUP_NOT_FOUND);
      const result = { id: group.id, name: group.name, rateLimits: windowsOf(rateLimits) };
      if (group.rateLimits === rateLimits) return ok(result);
      await tx.authorizationGroup.update({ where: { id: group.id }, data: { rateLimits } });
      const following = await tx.apiKey.count({ where: { tenantId: ctx.tenantId, groupId: group.id, rateLimits: null } });
      await publishKeyChange(tx, { tenantId: ctx.tenantId });
      await writeAuditEvent(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "group.rate_limits_changed",
        requestId: ctx.requestId,
        scopes: group.scopes,
        details: { groupId: group.id, group: group.name, from: windowsOf(group.rateLimits), to: result.rateLimits, keysFollowing: following },
        createdAt: now,
      });
      return ok(result);
    },
    () => evictTenant(ctx.tenantId),
  );
}

/** The tenant's key groups for Settings: scopes, windows and how many active keys each has. */
export async function listGroupLimits(db: Db, tenantId: string) {
  const groups = await db.authorizationGroup.findMany({
    where: { tenantId, type: KEY_GROUP_TYPE },
    select: { id: true, name: true, description: true, scopes: true, rateLimits: true, _count: { select: { apiKeys: { where: { status: "active" } } } } },
    orderBy: { name: "asc" },
  });
  return groups.map(({ _count, ...g }) => ({ ...g, rateLimits: windowsOf(g.rateLimits), keys: _count.apiKeys }));
}
