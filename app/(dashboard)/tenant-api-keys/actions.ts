"use server";

// Every export of this file is a public endpoint: each one checks the session, the role and
// the tenant itself (withPermission) and takes no tenant id from the caller.
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { withPermission } from "@/lib/auth/action-context";
import {
  createApiKey,
  revokeAllApiKeys,
  revokeApiKey,
  rotateApiKey,
  updateApiKey,
  type CreatedKey,
  type RotatedKey,
} from "@/lib/api-keys/mutations";
import { keyNamed } from "@/lib/api-keys/queries";
import { disableApiKey, enableApiKey, endRotationOverlap } from "@/lib/api-keys/lifecycle";
import type { ApiKeyRow } from "@/lib/api-keys/row";
import { ok, type Result } from "@/lib/result";

const LIST_PATH = "/tenant-api-keys";

// The last argument of each action, `via`, is "assistant" when the command bar started it: the
// audit event says so. It is a label, not a permission: the checks are the same either way.

function refreshed<T>(result: Result<T>): Result<T> {
  if (result.ok) revalidatePath(LIST_PATH);
  return result;
}

export async function createApiKeyAction(input: unknown, via?: unknown): Promise<Result<CreatedKey>> {
  return refreshed(await withPermission("keys.create", (ctx) => createApiKey(db, ctx, input), { via }));
}

/** The version the dialog showed, when it sent one: the change is refused if the key moved on. */
function expected(version: unknown) {
  return Number.isSafeInteger(version) && (version as number) > 0 ? { expectedVersions: [version as number] } : {};
}

export async function updateApiKeyAction(keyId: unknown, input: unknown, version?: unknown, via?: unknown): Promise<Result<ApiKeyRow>> {
  return refreshed(await withPermission("keys.update", (ctx) => updateApiKey(db, ctx, keyId, input, expected(version)), { via }));
}

export async function rotateApiKeyAction(keyId: unknown, input: unknown, version?: unknown, via?: unknown): Promise<Result<RotatedKey>> {
  return refreshed(await withPermission("keys.rotate", (ctx) => rotateApiKey(db, ctx, keyId, input, expected(version)), { via }));
}

export async function revokeApiKeyAction(keyId: unknown, via?: unknown): Promise<Result<ApiKeyRow>> {
  return refreshed(await withPermission("keys.revoke", (ctx) => revokeApiKey(db, ctx, keyId), { via }));
}

export async function revokeAllApiKeysAction(confirmation: unknown, via?: unknown): Promise<Result<{ revoked: number }>> {
  return refreshed(await withPermission("keys.revokeAll", (ctx) => revokeAllApiKeys(db, ctx, confirmation), { via }));
}

/** The tenant's other key with this name, for the forms' duplicate-name warning (a read: keys.read). */
export async function duplicateKeyNameAction(
  name: unknown,
  exceptKeyId?: unknown,
): Promise<Result<{ id: string; name: string; prefix: string } | null>> {
  return withPermission("keys.read", async (ctx) =>
    ok(
      typeof name === "string" && name.length <= 200
        ? await keyNamed(db, ctx.tenantId, name, typeof exceptKeyId === "string" ? exceptKeyId : undefined)
        : null,
    ),
  );
}

export async function disableApiKeyAction(keyId: unknown, version?: unknown, via?: unknown): Promise<Result<ApiKeyRow>> {
  return refreshed(await withPermission("keys.disable", (ctx) => disableApiKey(db, ctx, keyId, expected(version)), { via }));
}

export async function enableApiKeyAction(keyId: unknown, version?: unknown, via?: unknown): Promise<Result<ApiKeyRow>> {
  return refreshed(await withPermission("keys.disable", (ctx) => enableApiKey(db, ctx, keyId, expected(version)), { via }));
}

export async function endRotationOverlapAction(keyId: unknown, version?: unknown, via?: unknown): Promise<Result<ApiKeyRow>> {
  return refreshed(await withPermission("keys.rotate", (ctx) => endRotationOverlap(db, ctx, keyId, expected(version)), { via }));
}
