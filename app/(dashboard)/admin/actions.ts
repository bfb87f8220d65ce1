"use server";

import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { withPlatformPermission } from "@/lib/auth/action-context";
import { setTenantKeyLimit } from "@/lib/tenants/mutations";
import { endSessionsOfUser } from "@/lib/auth/end-sessions";
import { rotateSigningKey } from "@/lib/tokens/signing-keys";
import { ok, type Result } from "@/lib/result";

// Super users only (lib/auth/permissions.ts). Anyone else gets "not found", as for the page itself.

export async function setTenantKeyLimitAction(tenantId: unknown, input: unknown): Promise<Result<{ keyLimit: number; used: number }>> {
  return withPlatformPermission("tenants.manage", async (user, requestId) => {
    const result = await setTenantKeyLimit(db, { actor: { type: "user", userId: user.id, label: user.email }, requestId }, tenantId, input);
    if (result.ok) {
      revalidatePath("/admin");
      revalidatePath("/tenant-api-keys");
    }
    return result;
  });
}

/** Signs a user out everywhere (super users: "users.endSessions"). */
export async function endUserSessionsAction(userId: unknown): Promise<Result<{ ended: number }>> {
  return withPlatformPermission("users.endSessions", async (user, requestId) => {
    const result = await endSessionsOfUser(db, { actor: { type: "user", userId: user.id, label: user.email }, requestId }, userId);
    if (result.ok) revalidatePath("/admin");
    return result;
  });
}

/**
 * Retires the token signing key and makes a new one (super users: "signingKeys.manage"),
 * audited in PlatformAuditEvent. Tokens signed before keep verifying until they expire.
 */
export async function rotateSigningKeyAction(): Promise<Result<{ kid: string; previousKid: string | null }>> {
  return withPlatformPermission("signingKeys.manage", async (user, requestId) => {
    const rotated = await rotateSigningKey(db, { actor: { userId: user.id, label: user.email }, requestId });
    revalidatePath("/admin");
    return ok(rotated);
  });
}
