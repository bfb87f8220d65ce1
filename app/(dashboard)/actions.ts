"use server";

import { cookies } from "next/headers";
import { db } from "@/lib/db";
import { getSessionUser, getTenantContext, TENANT_COOKIE } from "@/lib/auth/session";
import { endUserSessions } from "@/lib/auth/sessions";
import { config } from "@/lib/config";
import { fail, ok, type Result } from "@/lib/result";

/** Chooses the current tenant among the signed-in user's own tenants (never any other). */
export async function switchTenant(tenantId: unknown): Promise<Result<{ tenantId: string }>> {
  const context = await getTenantContext();
  if (!context) return fail("unauthorized", "Sign in to continue.");
  if (typeof tenantId !== "string" || !context.tenants.some((t) => t.id === tenantId)) {
    return fail("not_found", "Tenant not found.");
  }
  (await cookies()).set(TENANT_COOKIE, tenantId, {
    httpOnly: true,
    sameSite: "lax",
    secure: config().nextAuthUrl?.startsWith("https://") ?? false,
    path: "/",
    maxAge: 60 * 60 * 24 * 180,
  });
  return ok({ tenantId });
}

/**
 * Ends every session of the signed-in user, this one included (a cookie left on another
 * machine, or copied). The browser then signs out as usual.
 */
export async function signOutEverywhere(): Promise<Result<{ ended: number }>> {
  const user = await getSessionUser();
  if (!user) return fail("unauthorized", "Sign in to continue.");
  return ok({ ended: await endUserSessions(db, user.id, "sign_out_all") });
}
