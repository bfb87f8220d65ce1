import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "@/lib/db/prisma";
import { LOCKED_TX_OPTIONS, lockTenant } from "@/lib/db/tenant-lock";
import { publishKeyChange } from "@/lib/db/key-change-bus";
import { writeAuditEvent, type Actor, type AuditInput } from "@/lib/audit/write";
import { fail, ok, type Failure, type Result } from "@/lib/result";
import { parseScopes, scopesBeyond } from "@/lib/auth/permissions";
import { evictKey } from "./key-cache";
import { limitColumnsSelect } from "@/lib/rate-limits/key-fields";

// The skeleton every key mutation shares (mutations.ts): in one transaction, lock the tenant,
// load the key, check it, change it, audit the change and tell the other instances; after the
// transaction, evict this instance's cache.

/**
 * Who changes a key, for which tenant. Callers have already authenticated the actor and checked
 * the role; every query here is still scoped by `tenantId`, so another tenant's key is simply
 * "not found".
 */
export type MutationContext = { tenantId: string; actor: Actor; requestId: string; now?: Date };

/**
 * Conditional changes (If-Match on /v1, the dashboard's dialogs): the change applies only if
 * the key is still at the version the caller saw; otherwise "precondition_failed", nothing
 * written. Every change to a key bumps its version inside the tenant's lock, so the check and
 * the write cannot interleave with another change.
 */
export type ChangeOptions = { expectedVersions?: readonly number[] };

export const NOT_FOUND = "API key not found.";

/**
 * Runs `work` in a transaction that holds the tenant's lock, then `evict` once the transaction
 * has finished (committed or not: an eviction too many costs one lookup, a missing one would
 * serve a revoked key), so the cache never re-reads the old state.
 */
export async function inTenantTransaction<T>(
  db: Db,
  tenantId: string,
  work: (tx: Tx) => Promise<Result<T>>,
  evict: () => void,
): Promise<Result<T>> {
  try {
    return await db.$transaction(async (tx): Promise<Result<T>> => {
      if (!(await lockTenant(tx, tenantId))) return fail("not_found", "Tenant not found.");
      return work(tx);
    }, LOCKED_TX_OPTIONS);
  } finally {
    evict();
  }
}

const existingKeySelect = {
  id: true,
  name: true,
  description: true,
  prefix: true,
  status: true,
  expiresAt: true,
  ipAllowlist: true,
  groupId: true,
  version: true,
  ...limitColumnsSelect,
  group: { select: { scopes: true, name: true } },
  serviceAccount: { select: { id: true, name: true } },
  environment: { select: { id: true, name: true } },
} satisfies Prisma.ApiKeySelect;

/** The key as a change reads it, inside the lock. */
export type ExistingKey = Prisma.ApiKeyGetPayload<{ select: typeof existingKeySelect }>;

/** What a change did: its result, and the audit event that records it (the key is its target). */
export type KeyChangeDone<T> = { value: T; audit: Pick<AuditInput, "action" | "keyPrefix" | "scopes" | "details"> };

/**
 * The skeleton of a change to one key: lock the tenant, load the key (another tenant's is not
 * found), refuse a stale version or a key `check` rejects, `change` it, audit it and publish it
 * to the other instances, all in one transaction; evict it from this instance's cache afterwards.
 */
export async function changeKey<T>(
  db: Db,
  ctx: MutationContext,
  keyId: unknown,
  step: {
    options?: ChangeOptions;
    check?: (key: ExistingKey) => Failure | null;
    change: (tx: Tx, key: ExistingKey) => Promise<Result<KeyChangeDone<T>>>;
  },
): Promise<Result<T>> {
  const now = ctx.now ?? new Date();
  const id = typeof keyId === "string" && keyId.length > 0 && keyId.length <= 64 ? keyId : null;
  return inTenantTransaction(
    db,
    ctx.tenantId,
    async (tx): Promise<Result<T>> => {
      const key = id === null ? null : await tx.apiKey.findFirst({ where: { id, tenantId: ctx.tenantId }, select: existingKeySelect });
      if (!key) return fail("not_found", NOT_FOUND);
      const refused = stale(key, step.options ?? {}) ?? step.check?.(key) ?? null;
      if (refused) return refused;
      const done = await step.change(tx, key);
      if (!done.ok) return done;
      await publishKeyChange(tx, { keyId: key.id, tenantId: ctx.tenantId });
      await writeAuditEvent(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        requestId: ctx.requestId,
        targetKeyId: key.id,
        createdAt: now,
        ...done.value.audit,
      });
      return ok(done.value.value);
    },
    () => id !== null && evictKey(id),
  );
}

function stale(key: { version: number }, options: ChangeOptions): Failure | null {
  if (!options.expectedVersions || options.expectedVersions.includes(key.version)) return null;
  return fail("precondition_failed", `The key has changed (it is now at version ${key.version}). Read it again and retry.`);
}

/**
 * An API key may create, edit or rotate only keys whose scopes are a subset of its own
 * (`groupScopes`: the target's group and, when it moves, its new one). The actor's scopes are
 * read inside the transaction, so a key that has just moved itself is judged by where it is
 * now. Users are not limited by this: their role is (lib/auth/permissions.ts).
 */
export async function exceedsActorScopes(tx: Tx, ctx: MutationContext, ...groupScopes: string[]): Promise<Failure | null> {
  if (ctx.actor.type !== "api_key") return null;
  const actor = await tx.apiKey.findFirst({
    where: { id: ctx.actor.keyId, tenantId: ctx.tenantId },
    select: { group: { select: { scopes: true } } },
  });
  const missing = scopesBeyond(parseScopes(actor?.group.scopes ?? ""), groupScopes.flatMap(parseScopes));
  if (missing.length === 0) return null;
  return fail(
    "scope_exceeded",
    `This key cannot give a key scopes it does not hold itself (${missing.join(", ")}). Use a key that holds them, or the dashboard.`,
  );
}
