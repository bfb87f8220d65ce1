"use server";

import { cookies } from "next/headers";
import { getTenantContext, TENANT_COOKIE } from "@/lib/auth/session";

/** Chooses the current tenant among the signed-in user's own tenants (never any other). */
export async function switchTenant(tenantId: string): Promise<{ ok: boolean }> {
  const context = await getTenantContext();
  if (!context || typeof tenantId !== "string" || !context.tenants.some((t) => t.id === tenantId)) {
    return { ok: false };
  }
  (await cookies()).set(TENANT_COOKIE, tenantId, {
    httpOnly: true,
    sameSite: "lax",
    secure: process.env.NEXTAUTH_URL?.startsWith("https://") ?? false,
    path: "/",
    maxAge: 60 * 60 * 24 * 180,
  });
  return { ok: true };
}
