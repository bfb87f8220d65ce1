"use server";

import { cookies } from "next/headers";
import { db } from "@/lib/db";
import { getSessionUser, getTenantContext, TENANT_COOKIE } from "@/lib/auth/session";
import { endUserSessions } from "@/lib/auth/sessions";
import { config } from "@/lib/config";

/** Chooses the current tenant among the signed-in user's own tenants (never any other). */
export async function switchTenant(tenantId: string): Promise<{ ok: boolean }> {
  const context = await getTenantContext();
  if (!context || typeof tenantId !== "string" || !context.tenants.some((t) => t.id === tenantId)) {
    return { ok: false };
  }
  (await cookies()).set(TENANT_COOKIE, tenantId, {
    httpOnly: true,
    sameSite: "lax",
    secure: config().nextAuthUrl?.startsWith("https://") ?? false,
    path: "/",
    maxAge: 60 * 60 * 24 * 180,
  });
  return { ok: true };
}

/**
 * Ends every session of the signed-in user, this one included (a cookie left on another
 * machine, or copied). The browser then signs out as usual.
 */
export async function signOutEverywhere(): Promise<{ ok: boolean; ended: number }> {
  const user = await getSessionUser();
  if (!user) return { ok: false, ended: 0 };
  return { ok: true, ended: await endUserSessions(db, user.id, "sign_out_all") };
}
