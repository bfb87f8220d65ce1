import type { Db, Tx } from "../db/prisma";
import { hashApiKey } from "../api-keys/key-format";
import { evictKey } from "../api-keys/key-cache";
import { publishKeyChange } from "../db/key-change-bus";
import { LOCKED_TX_OPTIONS } from "../db/tenant-lock";
import { fail, ok, validationFailure, type Result } from "../result";
import { generateRootKeySecret, rootDisplayPrefix } from "./key-format";
import { rootKeyInputSchema } from "./schemas";

/**
 * Root keys' lifecycle (super users, at /admin; the caller checks the permission). Each change
 * writes its platform audit event (PlatformAuditEvent: these belong to no tenant, so they are
 * not in any tenant's chain) in the same transaction. The secret is returned once and only its
 * HMAC is stored.
 */
export type PlatformContext = { actor: { userId: string; label: string }; requestId: string; now?: Date };
export type CreatedRootKey = { key: { id: string; name: string; prefix: string }; secret: string };

const NOT_FOUND = "Root key not found.";

async function audit(
  tx: Tx,
  ctx: PlatformContext,
  action: "root_key.created" | "root_key.updated" | "root_key.rotated" | "root_key.revoked",
  key: { id: string; prefix: string },
  details: Record<string, unknown>,
  now: Date,
) {
  await tx.platformAuditEvent.create({
    data: {
      actorType: "user",
      actorUserId: ctx.actor.userId,
      actorLabel: ctx.actor.label,
      action,
      rootKeyId: key.id,
      keyPrefix: key.prefix,
      details: JSON.stringify(details),
      requestId: ctx.requestId,
      createdAt: now,
    },
  });
}

// Every root-key cache entry is checked against the key cache's generation (lib/verify/root-key.ts):
// an eviction here, or a notification on PostgreSQL, makes every instance look again.
async function announce(tx: Tx, rootKeyId: string) {
  await publishKeyChange(tx, { keyId: rootKeyId, tenantId: "platform" });
}

async function validTenants(tx: Tx, allTenants: boolean, tenantIds: string[]): Promise<string[] | null> {
  if (allTenants) return [];
  const unique = [...new Set(tenantIds)];
  const found = await tx.tenant.findMany({ where: { id: { in: unique } }, select: { id: true } });
  return found.length === unique.length ? unique.sort() : null;
}

export async function createRootKey(db: Db, ctx: PlatformContext, input: unknown): Promise<Result<CreatedRootKey>> {
  const parsed = rootKeyInputSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const { name, allTenants, tenantIds } = parsed.data;
  const now = ctx.now ?? new Date();
  const secret = generateRootKeySecret();
  const prefix = rootDisplayPrefix(secret);
  return db.$transaction(async (tx): Promise<Result<CreatedRootKey>> => {
    const tenants = await validTenants(tx, allTenants, tenantIds);
    if (!tenants) return fail("validation", "Some fields need attention.", { tenantIds: ["One of the tenants does not exist."] });
    const key = await tx.rootKey.create({
      data: { name, prefix, hash: hashApiKey(secret), allTenants, tenantIds: tenants.join(" "), createdById: ctx.actor.userId, createdAt: now },
      select: { id: true, name: true, prefix: true },
    });
    await audit(tx, ctx, "root_key.created", key, { name, allTenants, tenantIds: tenants }, now);
    return ok({ key, secret });
  }, LOCKED_TX_OPTIONS);
}

export async function updateRootKey(db: Db, ctx: PlatformContext, id: unknown, input: unknown): Promise<Result<{ id: string }>> {
  const parsed = rootKeyInputSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  if (typeof id !== "string" || id.length > 64) return fail("not_found", NOT_FOUND);
  const { name, allTenants, tenantIds } = parsed.data;
  const now = ctx.now ?? new Date();
  try {
    return await db.$transaction(async (tx): Promise<Result<{ id: string }>> => {
      const before = await tx.rootKey.findUnique({ where: { id } });
      if (!before) return fail("not_found", NOT_FOUND);
      if (before.status !== "active") return fail("conflict", "Only active root keys can be edited.");
      const tenants = await validTenants(tx, allTenants, tenantIds);
      if (!tenants) return fail("validation", "Some fields need attention.", { tenantIds: ["One of the tenants does not exist."] });
      await tx.rootKey.update({ where: { id }, data: { name, allTenants, tenantIds: tenants.join(" ") } });
      await announce(tx, id);
      await audit(tx, ctx, "root_key.updated", before, {
        from: { name: before.name, allTenants: before.allTenants, tenantIds: before.tenantIds.split(" ").filter(Boolean) },
        to: { name, allTenants, tenantIds: tenants },
      }, now);
      return ok({ id });
    }, LOCKED_TX_OPTIONS);
  } finally {
    evictKey(id);
  }
}

/** A new secret for the same key; the old one stops working at this commit. */
export async function rotateRootKey(db: Db, ctx: PlatformContext, id: unknown): Promise<Result<CreatedRootKey>> {
  if (typeof id !== "string" || id.length > 64) return fail("not_found", NOT_FOUND);
  const now = ctx.now ?? new Date();
  const secret = generateRootKeySecret();
  const prefix = rootDisplayPrefix(secret);
  try {
    return await db.$transaction(async (tx): Promise<Result<CreatedRootKey>> => {
      const before = await tx.rootKey.findUnique({ where: { id }, select: { id: true, name: true, prefix: true, status: true } });
      if (!before) return fail("not_found", NOT_FOUND);
      if (before.status !== "active") return fail("conflict", "Only active root keys can be rotated.");
      const key = await tx.rootKey.update({
        where: { id },
        data: { prefix, hash: hashApiKey(secret), rotatedAt: now },
        select: { id: true, name: true, prefix: true },
      });
      await announce(tx, id);
      await audit(tx, ctx, "root_key.rotated", key, { previousPrefix: before.prefix }, now);
      return ok({ key, secret });
    }, LOCKED_TX_OPTIONS);
  } finally {
    evictKey(id);
  }
}

export async function revokeRootKey(db: Db, ctx: PlatformContext, id: unknown): Promise<Result<{ id: string; name: string }>> {
  if (typeof id !== "string" || id.length > 64) return fail("not_found", NOT_FOUND);
  const now = ctx.now ?? new Date();
  try {
    return await db.$transaction(async (tx): Promise<Result<{ id: string; name: string }>> => {
      const before = await tx.rootKey.findUnique({ where: { id }, select: { id: true, name: true, prefix: true, status: true } });
      if (!before) return fail("not_found", NOT_FOUND);
      if (before.status === "revoked") return fail("conflict", "This root key is already revoked.");
      await tx.rootKey.update({ where: { id }, data: { status: "revoked", revokedAt: now } });
      await announce(tx, id);
      await audit(tx, ctx, "root_key.revoked", before, { name: before.name }, now);
      return ok({ id, name: before.name });
    }, LOCKED_TX_OPTIONS);
  } finally {
    evictKey(id);
  }
}
