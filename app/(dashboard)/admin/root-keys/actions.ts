"use server";

import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { withPlatformPermission } from "@/lib/auth/action-context";
import { createRootKey, revokeRootKey, rotateRootKey, updateRootKey, type CreatedRootKey, type PlatformContext } from "@/lib/root-keys/mutations";
import type { Result } from "@/lib/result";

// Super users only ("rootKeys.manage" in lib/auth/permissions.ts); anyone else gets "not
// found", as for the page itself. The secret comes back once, in the result of create/rotate.

function asSuperUser<T>(work: (ctx: PlatformContext) => Promise<Result<T>>): Promise<Result<T>> {
  return withPlatformPermission("rootKeys.manage", async (user, requestId) => {
    const result = await work({ actor: { userId: user.id, label: user.email }, requestId });
    if (result.ok) revalidatePath("/admin/root-keys");
    return result;
  });
}

export async function createRootKeyAction(input: unknown): Promise<Result<CreatedRootKey>> {
  return asSuperUser((ctx) => createRootKey(db, ctx, input));
}

export async function rotateRootKeyAction(id: unknown): Promise<Result<CreatedRootKey>> {
  return asSuperUser((ctx) => rotateRootKey(db, ctx, id));
}

export async function revokeRootKeyAction(id: unknown): Promise<Result<{ id: string; name: string }>> {
  return asSuperUser((ctx) => revokeRootKey(db, ctx, id));
}

export async function updateRootKeyAction(id: unknown, input: unknown): Promise<Result<{ id: string }>> {
  return asSuperUser((ctx) => updateRootKey(db, ctx, id, input));
}
