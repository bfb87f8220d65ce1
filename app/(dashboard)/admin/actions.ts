"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { getSuperUser } from "@/lib/auth/session";
import { setTenantKeyLimit } from "@/lib/tenants/mutations";
import { endSessionsOfUser } from "@/lib/auth/end-sessions";
import { canOnPlatform, platformActorOf } from "@/lib/auth/permissions";
import { requestIdFrom } from "@/lib/request-id";
import { fail, type Result } from "@/lib/result";

// Super users only. Anyone else gets "not found", as for the page itself.

export async function setTenantKeyLimitAction(tenantId: unknown, input: unknown): Promise<Result<{ keyLimit: number; used: number }>> {
  const user = await getSuperUser();
  if (!user) return fail("not_found", "Not found.");
  const requestId = requestIdFrom((await headers()).get("x-request-id"));
  const result = await setTenantKeyLimit(db, { actor: { type: "user", userId: user.id, label: user.email }, requestId }, tenantId, input);
  if (result.ok) {
    revalidatePath("/admin");
    revalidatePath("/tenant-api-keys");
  }
  return result;
}

/** Signs a user out everywhere (super users: "users.endSessions"). */
export async function endUserSessionsAction(userId: unknown): Promise<Result<{ ended: number }>> {
  const user = await getSuperUser();
  if (!user || !canOnPlatform(platformActorOf(user), "users.endSessions")) return fail("not_found", "Not found.");
  const requestId = requestIdFrom((await headers()).get("x-request-id"));
  const result = await endSessionsOfUser(db, { actor: { type: "user", userId: user.id, label: user.email }, requestId }, userId);
  if (result.ok) revalidatePath("/admin");
  return result;
}
