import type { Db } from "@/lib/db/prisma";
import { writeAuditEvent, type Actor } from "@/lib/audit/write";
import { fail, ok, validationFailure, type Failure, type Result } from "@/lib/result";
import { displayPrefix, generateApiKeySecret, hashApiKey } from "./key-format";
import { normalizeAllowlist } from "./ip-allowlist";
import { EXPIRATION_PRESETS, apiKeyCreateSchema, apiKeyUpdateSchema } from "./schemas";
import { KEY_GROUP_TYPE } from "./where";
import { limitFailure } from "./limit";
import { isUsable } from "./status";
import { apiKeyPublicSelect, type ApiKeyRow } from "./row";
import { changeKey, exceedsActorScopes, inTenantTransaction, type ChangeOptions, type MutationContext } from "./key-change";
import { limitColumns, limitValuesOf } from "@/lib/rate-limits/key-fields";
import { REFILL_NEEDS_CREDITS, refillNeedsCredits } from "@/lib/rate-limits/schemas";
import { resolveKeyOwner } from "@/lib/service-accounts/key-owner";

/**
 * A full update (the dashboard's edit form, the assistant) that does not name the limit fields
 * keeps them: an edit of the name must not take a key's rate limits or credits away.
 */
function withLimitsOf(key: Parameters<typeof limitValuesOf>[0], input: unknown, now: Date): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const current = limitValuesOf(key, now.getTime());
  const given = input as Record<string, unknown>;
  return {
    rateLimits: current.rateLimits,
    ...("credits" in given ? {} : { credits: current.credits, creditsRefill: current.creditsRefill }),
    ...given,
  };
}

function refillWithoutCredits(values: Parameters<typeof refillNeedsCredits>[0]): Failure | null {
  return refillNeedsCredits(values) ? null : fail("validation", "Some fields need attention.", { creditsRefill: [REFILL_NEEDS_CREDITS] });
}

/**
 * The rules of the key lifecycle, shared by the dashboard's server actions and the /v1 API. The
 * transaction, lock, audit and cache eviction every change shares are in key-change.ts; rotate
 * and revoke are in mutations-secret.ts, exported from here too.
 */
export type { ChangeOptions, MutationContext };
export { revokeAllApiKeys, revokeApiKey, rotateApiKey, type RotatedKey } from "./mutations-secret";

/**
 * A mutation's result carries the key as its transaction left it: callers answer with it and
 * never read it back after the commit (a failed read-back must not turn a committed change
 * into an error that says nothing was changed).
 */
export type CreatedKey = { key: ApiKeyRow; secret: string };

const GROUP_REQUIRED = { groupId: ["Select an authorization group of type Tenant API Key."] };

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

/** A new key: not a change of an existing one, so it has its own transaction (no key to load or evict). */
export async function createApiKey(db: Db, ctx: MutationContext, input: unknown): Promise<Result<CreatedKey>> {
  const parsed = apiKeyCreateSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const values = parsed.data;
  const now = ctx.now ?? new Date();
  const expiresAt = resolveExpiry(values.expiresIn, values.expiresAt, now);
  if (expiresAt === "past") {
    return fail("validation", "Some fields need attention.", { expiresAt: ["Expiration Date must be in the future."] });
  }
  const noCredits = refillWithoutCredits(values);
  if (noCredits) return noCredits;
  const limits = limitColumns(values, now);
  const secret = generateApiKeySecret();
  const prefix = displayPrefix(secret);
  const hash = hashApiKey(secret);

  // A new key is in no cache, here or on another instance: nothing to evict or publish.
  return inTenantTransaction(db, ctx.tenantId, async (tx): Promise<Result<CreatedKey>> => {
    const group = await tx.authorizationGroup.findFirst({
      where: { id: values.groupId, tenantId: ctx.tenantId, type: KEY_GROUP_TYPE },
      select: { id: true, scopes: true },
    });
    if (!group) return fail("validation", "Some fields need attention.", GROUP_REQUIRED);
    const beyond = await exceedsActorScopes(tx, ctx, group.scopes);
    if (beyond) return beyond;
    const full = await limitFailure(tx, ctx.tenantId, now);
    if (full) return full;
    const owner = await resolveKeyOwner(tx, ctx.tenantId, values, "create");
    if (!owner.ok) return owner;
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
        ...limits.data,
        ...owner.data,
        ...createdBy(ctx.actor),
        createdAt: now,
      },
      select: apiKeyPublicSelect,
    });
    await writeAuditEvent(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "api_key.created",
      requestId: ctx.requestId,
      targetKeyId: key.id,
      keyPrefix: key.prefix,
      scopes: group.scopes,
      details: {
        name: key.name,
        expiresAt: expiresAt?.toISOString() ?? null,
        ...(key.serviceAccount ? { serviceAccount: key.serviceAccount.name } : {}),
        ...(key.environment ? { environment: key.environment.name } : {}),
        ...(limits.rateLimitsChanged ? { rateLimits: values.rateLimits } : {}),
        ...(limits.creditsChanged ? { credits: values.credits, creditsRefill: values.creditsRefill } : {}),
      },
      createdAt: now,
    });
    return ok({ key, secret });
  }, () => {});
}

export async function updateApiKey(
  db: Db,
  ctx: MutationContext,
  keyId: unknown,
  input: unknown,
  options: { partial?: boolean } & ChangeOptions = {},
): Promise<Result<ApiKeyRow>> {
  const now = ctx.now ?? new Date();
  if (options.partial && (typeof input !== "object" || input === null || Array.isArray(input))) {
    return fail("validation", "The request body must be a JSON object.");
  }
  // The expiry is not editable (the product page): refused out loud rather than ignored.
  const fixedFields = ["expiresIn", "expiresAt"].filter((field) => typeof input === "object" && input !== null && field in input);
  if (fixedFields.length > 0) {
    return fail(
      "validation",
      "Some fields need attention.",
      Object.fromEntries(fixedFields.map((field) => [field, ["The expiration of a key cannot be changed; create a new key instead."]])),
    );
  }

  return changeKey(db, ctx, keyId, {
    options,
    check: (key) => (isUsable(key, now.getTime()) ? null : fail("conflict", "Only active keys can be edited.")),
    async change(tx, key) {
      // A partial update (PATCH) changes only the fields it names; the rest keep their values.
      const merged = options.partial
        ? {
            name: key.name,
            description: key.description ?? "",
            groupId: key.groupId,
            ipAllowlist: key.ipAllowlist,
            ...limitValuesOf(key, now.getTime()),
            ...(input as Record<string, unknown>),
          }
        : withLimitsOf(key, input, now);
      const parsed = apiKeyUpdateSchema.safeParse(merged);
      if (!parsed.success) return validationFailure(parsed.error.issues);
      const values = parsed.data;
      const group = await tx.authorizationGroup.findFirst({
        where: { id: values.groupId, tenantId: ctx.tenantId, type: KEY_GROUP_TYPE },
        select: { id: true, name: true, scopes: true },
      });
      if (!group) return fail("validation", "Some fields need attention.", GROUP_REQUIRED);
      const beyond = await exceedsActorScopes(tx, ctx, key.group.scopes, group.scopes);
      if (beyond) return beyond;
      const noCredits = refillWithoutCredits(values);
      if (noCredits) return noCredits;
      const limits = limitColumns(values, now, key);
      const owner = await resolveKeyOwner(tx, ctx.tenantId, values);
      if (!owner.ok) return owner;
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
      const before = limitValuesOf(key, now.getTime());
      if (limits.rateLimitsChanged) changes.rateLimits = { from: before.rateLimits, to: values.rateLimits };
      if (limits.creditsChanged) {
        changes.credits = { from: before.credits, to: values.credits };
        changes.creditsRefill = { from: before.creditsRefill, to: values.credits === null ? null : values.creditsRefill };
      }
      const updated = await tx.apiKey.update({
        where: { id: key.id },
        data: { ...next, ...owner.data, ...limits.data, ...(limits.creditsChanged ? { creditsVersion: { increment: 1 } } : {}), version: { increment: 1 } },
        select: apiKeyPublicSelect,
      });
      if (updated.serviceAccount?.id !== key.serviceAccount?.id) changes.serviceAccount = { from: key.serviceAccount?.name ?? null, to: updated.serviceAccount?.name ?? null };
      if (updated.environment?.id !== key.environment?.id) changes.environment = { from: key.environment?.name ?? null, to: updated.environment?.name ?? null };
      return ok({ value: updated, audit: { action: "api_key.updated", keyPrefix: key.prefix, scopes: group.scopes, details: { changes } } });
    },
  });
}
