import type { Db } from "@/lib/db/prisma";
import { fail, ok, type Result } from "@/lib/result";
import { displayStatus } from "./status";
import { apiKeyPublicSelect, type ApiKeyRow } from "./row";
import { changeKey, type ChangeOptions, type MutationContext } from "./key-change";

// The reversible changes of a key's state, beside mutations.ts's create/edit/rotate/revoke:
// disable and re-enable (a temporary off switch, issue 16.16) and ending a rotation overlap early
// (issue 16.10). Each goes through changeKey, so it is locked, audited, published to the other
// instances (their caches drop the key at once) and evicted here, like a revoke.

/** Switches a live key off: every request with it gets 401 until it is re-enabled. */
export async function disableApiKey(db: Db, ctx: MutationContext, keyId: unknown, options: ChangeOptions = {}): Promise<Result<ApiKeyRow>> {
  const now = ctx.now ?? new Date();
  return changeKey(db, ctx, keyId, {
    options,
    check: (key) => {
      const state = displayStatus(key, now.getTime());
      if (state === "disabled") return fail("conflict", "This key is already disabled.");
      return state === "active" ? null : fail("conflict", `Only active keys can be disabled; this one is ${state}.`);
    },
    async change(tx, key) {
      const row = await tx.apiKey.update({
        where: { id: key.id },
        data: { status: "disabled", disabledAt: now, version: { increment: 1 } },
        select: apiKeyPublicSelect,
      });
      return ok({ value: row, audit: { action: "api_key.disabled", keyPrefix: key.prefix, scopes: key.group.scopes, details: { name: key.name } } });
    },
  });
}

/**
 * Switches a disabled key back on. It kept its place of the limit while disabled (where.ts,
 * COUNTING_STATUSES), so this never fails for the limit; an expired key stays dead.
 */
export async function enableApiKey(db: Db, ctx: MutationContext, keyId: unknown, options: ChangeOptions = {}): Promise<Result<ApiKeyRow>> {
  const now = ctx.now ?? new Date();
  return changeKey(db, ctx, keyId, {
    options,
    check: (key) => {
      const state = displayStatus(key, now.getTime());
      if (state === "active") return fail("conflict", "This key is not disabled.");
      return state === "disabled" ? null : fail("conflict", `Only disabled keys can be re-enabled; this one is ${state}.`);
    },
    async change(tx, key) {
      const row = await tx.apiKey.update({
        where: { id: key.id },
        data: { status: "active", disabledAt: null, version: { increment: 1 } },
        select: apiKeyPublicSelect,
      });
      return ok({ value: row, audit: { action: "api_key.enabled", keyPrefix: key.prefix, scopes: key.group.scopes, details: { name: key.name } } });
    },
  });
}

/** Ends a running rotation overlap now: the previous secret stops working with this commit. */
export async function endRotationOverlap(db: Db, ctx: MutationContext, keyId: unknown, options: ChangeOptions = {}): Promise<Result<ApiKeyRow>> {
  const now = ctx.now ?? new Date();
  return changeKey(db, ctx, keyId, {
    options,
    async change(tx, key) {
      const current = await tx.apiKey.findUniqueOrThrow({
        where: { id: key.id },
        select: { previousHashExpiresAt: true, previousPrefix: true, previousLastUsedAt: true },
      });
      if (!current.previousHashExpiresAt || current.previousHashExpiresAt <= now) {
        return fail("conflict", "This key has no rotation overlap running.");
      }
      const row = await tx.apiKey.update({
        where: { id: key.id },
        data: { previousHash: null, previousHashExpiresAt: null, previousPrefix: null, previousLastUsedAt: null, version: { increment: 1 } },
        select: apiKeyPublicSelect,
      });
      const details = {
        name: key.name,
        previousPrefix: current.previousPrefix,
        scheduledEnd: current.previousHashExpiresAt.toISOString(),
        previousLastUsedAt: current.previousLastUsedAt?.toISOString() ?? null,
      };
      return ok({ value: row, audit: { action: "api_key.overlap_ended", keyPrefix: key.prefix, scopes: key.group.scopes, details } });
    },
  });
}
