// The end of a key's secrets, shared by the dashboard's server actions and the /v1 API: rotate
// (a new secret, the old one for an overlap or not at all), revoke, and the emergency stop that
// revokes every key of the tenant. Exported through mutations.ts with create and update.
import type { Db } from "@/lib/db/prisma";
import { writeAuditEvent, writeAuditEvents } from "@/lib/audit/write";
import { fail, ok, validationFailure, type Result } from "@/lib/result";
import { publishKeyChange } from "@/lib/db/key-change-bus";
import { displayPrefix, generateApiKeySecret, hashApiKey } from "./key-format";
import { ROTATION_OVERLAPS, apiKeyRotateSchema } from "./schemas";
import { isUsable } from "./status";
import { evictTenant } from "./key-cache";
import { apiKeyPublicSelect, type ApiKeyRow } from "./row";
import { changeKey, exceedsActorScopes, inTenantTransaction, type ChangeOptions, type MutationContext } from "./key-change";
import type { CreatedKey } from "./mutations";

export type RotatedKey = CreatedKey & { previousValidUntil: string | null };

/** A revoked key: no secret of it works any more, not even an overlapping old one. */
function revokedData(now: Date) {
  return { status: "revoked", revokedAt: now, previousHash: null, previousHashExpiresAt: null, previousPrefix: null, previousLastUsedAt: null };
}

export async function rotateApiKey(
  db: Db,
  ctx: MutationContext,
  keyId: unknown,
  input: unknown,
  options: ChangeOptions = {},
): Promise<Result<RotatedKey>> {
  const parsed = apiKeyRotateSchema.safeParse(input ?? {});
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const overlapMs = ROTATION_OVERLAPS.find((o) => o.value === parsed.data.overlap)?.ms ?? 0;
  const now = ctx.now ?? new Date();
  const secret = generateApiKeySecret();
  const prefix = displayPrefix(secret);
  const hash = hashApiKey(secret);

  return changeKey(db, ctx, keyId, {
    options,
    check: (key) => (isUsable(key, now.getTime()) ? null : fail("conflict", "Only active keys can be rotated.")),
    async change(tx, key) {
      // A new secret is the key's power in hand: the same rule as for creating one.
      const beyond = await exceedsActorScopes(tx, ctx, key.group.scopes);
      if (beyond) return beyond;
      const current = await tx.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { hash: true, previousHashExpiresAt: true, previousPrefix: true } });
      // An overlap still running is ended by this rotation: its old secret dies now (the rotate
      // dialog warns of it); the audit event names it.
      const endedOverlap =
        current.previousHashExpiresAt && current.previousHashExpiresAt > now
          ? { previousPrefix: current.previousPrefix, scheduledEnd: current.previousHashExpiresAt.toISOString() }
          : null;
      const previousValidUntil = overlapMs > 0 ? new Date(now.getTime() + overlapMs) : null;
      // With an overlap the old secret keeps working until previousValidUntil; without one it
      // dies with this commit. A second rotation replaces any earlier overlap: rotations are
      // serialized by the tenant's lock, so of two unconditional concurrent rotations the later
      // one wins and the earlier caller's new secret stops working at once (with an overlap,
      // the later rotation keeps the earlier one's secret, and the original dies). If-Match
      // (expectedVersions) makes the later one fail instead.
      const rotated = await tx.apiKey.update({
        where: { id: key.id },
        data: {
          hash,
          prefix,
          previousHash: previousValidUntil ? current.hash : null,
          previousHashExpiresAt: previousValidUntil,
          // Requests made with the old secret during the overlap are labelled with its prefix.
          previousPrefix: previousValidUntil ? key.prefix : null,
          previousLastUsedAt: null,
          rotatedAt: now,
          version: { increment: 1 },
        },
        select: apiKeyPublicSelect,
      });
      const validUntil = previousValidUntil?.toISOString() ?? null;
      return ok({
        value: { key: rotated, secret, previousValidUntil: validUntil },
        audit: { action: "api_key.rotated", keyPrefix: prefix, scopes: key.group.scopes, details: { previousPrefix: key.prefix, previousValidUntil: validUntil, ...(endedOverlap ? { endedOverlap } : {}) } },
      });
    },
  });
}

export async function revokeApiKey(db: Db, ctx: MutationContext, keyId: unknown): Promise<Result<ApiKeyRow>> {
  const now = ctx.now ?? new Date();
  return changeKey(db, ctx, keyId, {
    check: (key) => (key.status === "revoked" ? fail("conflict", "This key is already revoked.") : null),
    async change(tx, key) {
      const revoked = await tx.apiKey.update({
        where: { id: key.id },
        data: { ...revokedData(now), version: { increment: 1 } },
        select: apiKeyPublicSelect,
      });
      return ok({ value: revoked, audit: { action: "api_key.revoked", keyPrefix: key.prefix, scopes: key.group.scopes, details: { name: key.name } } });
    },
  });
}

/**
 * Emergency stop: every key of the tenant that is not yet revoked, in one transaction. Audited as
 * one `api_key.revoked_all` event and, after it, one `api_key.revoked` per key that points back
 * to it (details.bulkEventId, same request id), so each key's own history says who revoked it.
 */
export async function revokeAllApiKeys(db: Db, ctx: MutationContext, confirmation: unknown): Promise<Result<{ revoked: number }>> {
  const now = ctx.now ?? new Date();
  return inTenantTransaction(db, ctx.tenantId, async (tx): Promise<Result<{ revoked: number }>> => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { name: true } });
    if (typeof confirmation !== "string" || confirmation.trim() !== tenant.name) {
      return fail("validation", "Type the tenant's name exactly to confirm.", { confirmation: [`Type "${tenant.name}" to confirm.`] });
    }
    // Disabled keys too: an emergency stop must not leave a key that a re-enable brings back.
    const keys = await tx.apiKey.findMany({
      where: { tenantId: ctx.tenantId, status: { in: ["active", "disabled"] } },
      select: { id: true, prefix: true, name: true, group: { select: { scopes: true } } },
    });
    const { count } = await tx.apiKey.updateMany({
      where: { tenantId: ctx.tenantId, status: { in: ["active", "disabled"] } },
      data: { ...revokedData(now), version: { increment: 1 } },
    });
    await publishKeyChange(tx, { tenantId: ctx.tenantId });
    const bulk = await writeAuditEvent(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "api_key.revoked_all",
      requestId: ctx.requestId,
      details: { count, keyIds: keys.map((k) => k.id), prefixes: keys.map((k) => k.prefix) },
      createdAt: now,
    });
    await writeAuditEvents(
      tx,
      keys.map((key) => ({
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "api_key.revoked" as const,
        requestId: ctx.requestId,
        targetKeyId: key.id,
        keyPrefix: key.prefix,
        scopes: key.group.scopes,
        details: { name: key.name, bulkEventId: bulk.id, bulkSeq: bulk.seq },
        createdAt: now,
      })),
    );
    return ok({ revoked: count });
  }, () => evictTenant(ctx.tenantId));
}
