import type { Db, Tx } from "@/lib/db/prisma";
import { writeAuditEvent, type Actor } from "@/lib/audit/write";
import { fail, ok, validationFailure, type Result } from "@/lib/result";
import { displayPrefix, generateApiKeySecret, hashApiKey } from "./key-format";
import { normalizeAllowlist } from "./ip-allowlist";
import {
  EXPIRATION_PRESETS,
  ROTATION_OVERLAPS,
  apiKeyCreateSchema,
  apiKeyRotateSchema,
  apiKeyUpdateSchema,
} from "./schemas";
import { countingKeysWhere, KEY_GROUP_TYPE } from "./where";
import { isUsable } from "./status";
import { evictKey, evictTenant } from "./key-cache";
import { evictTenantCounts } from "./tenant-counts";
import { publishKeyChange } from "@/lib/db/key-change-bus";

/**
 * The rules of the key lifecycle, shared by the dashboard's server actions and the /v1 API.
 * Callers have already authenticated the actor and checked the role; every function here
 * still scopes every query by `tenantId`, so another tenant's key is simply "not found".
 */
export type MutationContext = { tenantId: string; actor: Actor; requestId: string; now?: Date };

export type CreatedKey = { key: { id: string; name: string; prefix: string }; secret: string };

// Interactive transactions wait for other writers (other requests, other processes) instead of
// failing after Prisma's 2 s default.
const TX_OPTIONS = { maxWait: 15_000, timeout: 20_000 } as const;

const NOT_FOUND = "API key not found.";

/** A revoked key: no secret of it works any more, not even an overlapping old one. */
function revokedData(now: Date) {
  return { status: "revoked", revokedAt: now, previousHash: null, previousHashExpiresAt: null, previousPrefix: null };
}

/**
 * Runs after the transaction has finished, so the caches never re-read the old state: the
 * verified-key cache (`evict`) and the tenant's list counts.
 */
async function thenEvict<T>(work: Promise<T>, tenantId: string, evict: () => void = () => {}): Promise<T> {
  try {
    return await work;
  } finally {
    evict();
    evictTenantCounts(tenantId);
  }
}

/**
 * Takes the tenant's row lock first thing in the transaction. On PostgreSQL this is a row
 * lock; on SQLite the first statement being a write makes the transaction take the database's
 * write lock at once (waiting on the busy timeout), instead of reading under a shared lock and
 * failing to upgrade it later. Either way, the limit check and the audit chain are serialized.
 */
async function lockTenant(tx: Tx, tenantId: string): Promise<boolean> {
  const updated = await tx.$executeRaw`UPDATE "Tenant" SET "keyLimit" = "keyLimit" WHERE "id" = ${tenantId}`;
  return updated === 1;
}

function createdBy(actor: Actor) {
  return {
    createdById: actor.type === "user" ? actor.userId : null,
    createdByKeyId: actor.type === "api_key" ? actor.keyId : null,
  };
}

function resolveExpiry(expiresIn: string | undefined, expiresAt: string, now: Date): Date | null | "past" {
  const preset = EXPIRATION_PRESETS.find((p) => p.value === expiresIn);
  if (preset) return new Date(now.getTime() + preset.ms);
  if (!expiresAt) return null;
  const date = new Date(expiresAt);
  return date.getTime() > now.getTime() ? date : "past";
}

export async function createApiKey(db: Db, ctx: MutationContext, input: unknown): Promise<Result<CreatedKey>> {
  const parsed = apiKeyCreateSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const values = parsed.data;
  const now = ctx.now ?? new Date();
  const expiresAt = resolveExpiry(values.expiresIn, values.expiresAt, now);
  if (expiresAt === "past") {
    return fail("validation", "Some fields need attention.", { expiresAt: ["Expiration Date must be in the future."] });
  }

  const secret = generateApiKeySecret();
  const prefix = displayPrefix(secret);
  const hash = hashApiKey(secret);

  return thenEvict(db.$transaction(async (tx): Promise<Result<CreatedKey>> => {
    if (!(await lockTenant(tx, ctx.tenantId))) return fail("not_found", "Tenant not found.");
    const group = await tx.authorizationGroup.findFirst({
      where: { id: values.groupId, tenantId: ctx.tenantId, type: KEY_GROUP_TYPE },
      select: { id: true, scopes: true },
    });
    if (!group) {
      return fail("validation", "Some fields need attention.", {
        groupId: ["Select an authorization group of type Tenant API Key."],
      });
    }
    const [tenant, used] = await Promise.all([
      tx.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { keyLimit: true } }),
      tx.apiKey.count({ where: countingKeysWhere(ctx.tenantId, now) }),
    ]);
    if (used >= tenant.keyLimit) {
      return fail(
        "limit_reached",
        `Key limit reached: ${used}/${tenant.keyLimit} keys. Revoke a key or ask support to raise the limit.`,
      );
    }
    const key = await tx.apiKey.create({
      data: {
        tenantId: ctx.tenantId,
        groupId: group.id,
        name: values.name,
        description: values.description || null,
        prefix,
        hash,
        ipAllowlist: normalizeAllowlist(values.ipAllowlist),
        expiresAt,
        ...createdBy(ctx.actor),
        createdAt: now,
      },
      select: { id: true, name: true, prefix: true },
    });
    await writeAuditEvent(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "api_key.created",
      requestId: ctx.requestId,
      targetKeyId: key.id,
      keyPrefix: key.prefix,
      scopes: group.scopes,
      details: { name: key.name, expiresAt: expiresAt?.toISOString() ?? null },
      createdAt: now,
    });
    await publishKeyChange(tx, { tenantId: ctx.tenantId, countsOnly: true });
    return ok({ key, secret });
  }, TX_OPTIONS), ctx.tenantId);
}

type ExistingKey = {
  id: string;
  name: string;
  description: string | null;
  prefix: string;
  status: string;
  expiresAt: Date | null;
  ipAllowlist: string;
  groupId: string;
  group: { scopes: string; name: string };
};

async function findTenantKey(tx: Tx, tenantId: string, keyId: unknown): Promise<ExistingKey | null> {
  if (typeof keyId !== "string" || keyId.length === 0 || keyId.length > 64) return null;
  return tx.apiKey.findFirst({
    where: { id: keyId, tenantId },
    select: {
      id: true,
      name: true,
      description: true,
      prefix: true,
      status: true,
      expiresAt: true,
      ipAllowlist: true,
      groupId: true,
      group: { select: { scopes: true, name: true } },
    },
  });
}

export async function updateApiKey(
  db: Db,
  ctx: MutationContext,
  keyId: unknown,
  input: unknown,
  options: { partial?: boolean } = {},
): Promise<Result<{ id: string; name: string }>> {
  const now = ctx.now ?? new Date();
  if (options.partial && (typeof input !== "object" || input === null || Array.isArray(input))) {
    return fail("validation", "The request body must be a JSON object.");
  }

  return thenEvict(db.$transaction(async (tx): Promise<Result<{ id: string; name: string }>> => {
    if (!(await lockTenant(tx, ctx.tenantId))) return fail("not_found", "Tenant not found.");
    const key = await findTenantKey(tx, ctx.tenantId, keyId);
    if (!key) return fail("not_found", NOT_FOUND);
    if (!isUsable(key, now.getTime())) return fail("conflict", "Only active keys can be edited.");
    // A partial update (PATCH) changes only the fields it names; the rest keep their values.
    const merged = options.partial
      ? {
          name: key.name,
          description: key.description ?? "",
          groupId: key.groupId,
          ipAllowlist: key.ipAllowlist,
          ...(input as Record<string, unknown>),
        }
      : input;
    const parsed = apiKeyUpdateSchema.safeParse(merged);
    if (!parsed.success) return validationFailure(parsed.error.issues);
    const values = parsed.data;
    const group = await tx.authorizationGroup.findFirst({
      where: { id: values.groupId, tenantId: ctx.tenantId, type: KEY_GROUP_TYPE },
      select: { id: true, name: true, scopes: true },
    });
    if (!group) {
      return fail("validation", "Some fields need attention.", {
        groupId: ["Select an authorization group of type Tenant API Key."],
      });
    }
    const next = {
      name: values.name,
      description: values.description || null,
      groupId: group.id,
      ipAllowlist: normalizeAllowlist(values.ipAllowlist),
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (next.name !== key.name) changes.name = { from: key.name, to: next.name };
    if (next.description !== key.description) changes.description = { from: key.description, to: next.description };
    if (next.groupId !== key.groupId) changes.authorizationGroup = { from: key.group.name, to: group.name };
    if (next.ipAllowlist !== key.ipAllowlist) changes.ipAllowlist = { from: key.ipAllowlist, to: next.ipAllowlist };

    const updated = await tx.apiKey.update({ where: { id: key.id }, data: next, select: { id: true, name: true } });
    await publishKeyChange(tx, { keyId: key.id, tenantId: ctx.tenantId });
    await writeAuditEvent(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "api_key.updated",
      requestId: ctx.requestId,
      targetKeyId: key.id,
      keyPrefix: key.prefix,
      scopes: group.scopes,
      details: { changes },
      createdAt: now,
    });
    return ok(updated);
  }, TX_OPTIONS), ctx.tenantId, () => evictKey(String(keyId)));
}

export type RotatedKey = CreatedKey & { previousValidUntil: string | null };

export async function rotateApiKey(
  db: Db,
  ctx: MutationContext,
  keyId: unknown,
  input: unknown,
): Promise<Result<RotatedKey>> {
  const parsed = apiKeyRotateSchema.safeParse(input ?? {});
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const overlapMs = ROTATION_OVERLAPS.find((o) => o.value === parsed.data.overlap)?.ms ?? 0;
  const now = ctx.now ?? new Date();
  const secret = generateApiKeySecret();
  const prefix = displayPrefix(secret);
  const hash = hashApiKey(secret);

  return thenEvict(db.$transaction(async (tx): Promise<Result<RotatedKey>> => {
    if (!(await lockTenant(tx, ctx.tenantId))) return fail("not_found", "Tenant not found.");
    const key = await findTenantKey(tx, ctx.tenantId, keyId);
    if (!key) return fail("not_found", NOT_FOUND);
    if (!isUsable(key, now.getTime())) return fail("conflict", "Only active keys can be rotated.");
    const current = await tx.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { hash: true } });
    const previousValidUntil = overlapMs > 0 ? new Date(now.getTime() + overlapMs) : null;
    // With an overlap the old secret keeps working until previousValidUntil; without one it
    // dies with this commit. A second rotation replaces any earlier overlap.
    await tx.apiKey.update({
      where: { id: key.id },
      data: {
        hash,
        prefix,
        previousHash: previousValidUntil ? current.hash : null,
        previousHashExpiresAt: previousValidUntil,
        // Requests made with the old secret during the overlap are labelled with its prefix.
        previousPrefix: previousValidUntil ? key.prefix : null,
        rotatedAt: now,
      },
    });
    await publishKeyChange(tx, { keyId: key.id, tenantId: ctx.tenantId });
    await writeAuditEvent(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "api_key.rotated",
      requestId: ctx.requestId,
      targetKeyId: key.id,
      keyPrefix: prefix,
      scopes: key.group.scopes,
      details: { previousPrefix: key.prefix, previousValidUntil: previousValidUntil?.toISOString() ?? null },
      createdAt: now,
    });
    return ok({
      key: { id: key.id, name: key.name, prefix },
      secret,
      previousValidUntil: previousValidUntil?.toISOString() ?? null,
    });
  }, TX_OPTIONS), ctx.tenantId, () => evictKey(String(keyId)));
}

export async function revokeApiKey(
  db: Db,
  ctx: MutationContext,
  keyId: unknown,
): Promise<Result<{ id: string; name: string; prefix: string }>> {
  const now = ctx.now ?? new Date();
  return thenEvict(db.$transaction(async (tx): Promise<Result<{ id: string; name: string; prefix: string }>> => {
    if (!(await lockTenant(tx, ctx.tenantId))) return fail("not_found", "Tenant not found.");
    const key = await findTenantKey(tx, ctx.tenantId, keyId);
    if (!key) return fail("not_found", NOT_FOUND);
    if (key.status === "revoked") return fail("conflict", "This key is already revoked.");
    await tx.apiKey.update({
      where: { id: key.id },
      data: revokedData(now),
    });
    await publishKeyChange(tx, { keyId: key.id, tenantId: ctx.tenantId });
    await writeAuditEvent(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "api_key.revoked",
      requestId: ctx.requestId,
      targetKeyId: key.id,
      keyPrefix: key.prefix,
      scopes: key.group.scopes,
      details: { name: key.name },
      createdAt: now,
    });
    return ok({ id: key.id, name: key.name, prefix: key.prefix });
  }, TX_OPTIONS), ctx.tenantId, () => evictKey(String(keyId)));
}

/** Emergency stop: every key of the tenant that is not yet revoked, in one transaction. */
export async function revokeAllApiKeys(
  db: Db,
  ctx: MutationContext,
  confirmation: unknown,
): Promise<Result<{ revoked: number }>> {
  const now = ctx.now ?? new Date();
  return thenEvict(db.$transaction(async (tx): Promise<Result<{ revoked: number }>> => {
    if (!(await lockTenant(tx, ctx.tenantId))) return fail("not_found", "Tenant not found.");
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { name: true } });
    if (typeof confirmation !== "string" || confirmation.trim() !== tenant.name) {
      return fail("validation", "Type the tenant's name exactly to confirm.", {
        confirmation: [`Type "${tenant.name}" to confirm.`],
      });
    }
    const keys = await tx.apiKey.findMany({
      where: { tenantId: ctx.tenantId, status: "active" },
      select: { id: true, prefix: true },
    });
    const { count } = await tx.apiKey.updateMany({
      where: { tenantId: ctx.tenantId, status: "active" },
      data: revokedData(now),
    });
    await publishKeyChange(tx, { tenantId: ctx.tenantId });
    await writeAuditEvent(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "api_key.revoked_all",
      requestId: ctx.requestId,
      details: { count, keyIds: keys.map((k) => k.id), prefixes: keys.map((k) => k.prefix) },
      createdAt: now,
    });
    return ok({ revoked: count });
  }, TX_OPTIONS), ctx.tenantId, () => evictTenant(ctx.tenantId));
}
