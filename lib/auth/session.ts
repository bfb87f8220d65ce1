import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { db } from "@/lib/db";
import { authOptions } from "./options";
import { isTenantRole, type EffectiveRole } from "./permissions";

export const TENANT_COOKIE = "kw_tenant";

export type SessionUser = { id: string; email: string; name: string; isSuperUser: boolean };
export type TenantChoice = { id: string; name: string; role: EffectiveRole };
export type TenantContext = {
  user: SessionUser;
  tenant: { id: string; name: string; slug: string };
  role: EffectiveRole;
  tenants: TenantChoice[];
};

/**
 * The signed-in user, re-read from the database on every request (a deleted user is out at
 * once). getServerSession runs next-auth's jwt callback, which refuses an ended server-side
 * session (lib/auth/sessions.ts): a signed-out cookie gives no user here.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, isSuperUser: true } });
});

/**
 * The tenant the user works in and their role there. Memberships are read from the database
 * on every request, so a removed member or a changed role takes effect at once. The tenant
 * cookie only chooses among the user's own tenants; it never grants access.
 */
export const getTenantContext = cache(async (): Promise<TenantContext | null> => {
  const user = await getSessionUser();
  if (!user) return null;

  const memberships = await db.membership.findMany({
    where: { userId: user.id },
    include: { tenant: { select: { id: true, name: true } } },
    orderBy: { tenant: { name: "asc" } },
  });
  const tenants: TenantChoice[] = memberships
    .filter((m) => isTenantRole(m.role))
    .map((m) => ({ id: m.tenant.id, name: m.tenant.name, role: m.role as EffectiveRole }));
  if (user.isSuperUser) {
    const others = await db.tenant.findMany({
      where: { id: { notIn: tenants.map((t) => t.id) } },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    });
    tenants.push(...others.map((t) => ({ ...t, role: "superuser" as const })));
  }
  if (tenants.length === 0) return null;

  const wanted = (await cookies()).get(TENANT_COOKIE)?.value;
  const current = tenants.find((t) => t.id === wanted) ?? tenants[0];
  const tenant = await db.tenant.findUniqueOrThrow({
    where: { id: current.id },
    select: { id: true, name: true, slug: true },
  });
  return { user, tenant, role: current.role, tenants };
});

export function signInPath(returnTo: string): string {
  return `/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`;
}

/** For pages: the tenant context, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireTenantContext(returnTo: string): Promise<TenantContext> {
  const context = await getTenantContext();
  if (!context) {
    if (await getSessionUser()) redirect("/no-tenant");
    redirect(signInPath(returnTo));
  }
  return context;
}
