"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { getSuperUser } from "@/lib/auth/session";
import { canOnPlatform, platformActorOf } from "@/lib/auth/permissions";
import { createRootKey, revokeRootKey, rotateRootKey, updateRootKey, type CreatedRootKey, type PlatformContext } from "@/lib/root-keys/mutations";
import { requestIdFrom } from "@/lib/request-id";
import { logError } from "@/lib/log";
import { fail, type Result } from "@/lib/result";

// Super users only ("rootKeys.manage" in lib/auth/permissions.ts); anyone else gets "not
// found", as for the page itself. The secret comes back once, in the result of create/rotate.

async function asSuperUser<T>(work: (ctx: PlatformContext) => Promise<Result<T>>): Promise<Result<T>> {
  const user = await getSuperUser();
  if (!canOnPlatform(platformActorOf(user), "rootKeys.manage") || !user) return fail("not_found", "Not found.");
  const requestId = requestIdFrom((await headers()).get("x-request-id"));
  try {
    const result = await work({ actor: { userId: user.id, label: user.email }, requestId });
    if (result.ok) revalidatePath("/admin/root-keys");
    return result;
  } catch (error) {
    logError("root key action failed", error, { requestId });
    return fail("internal", `Something went wrong. Nothing was changed. (Request ${requestId})`);
  }
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
