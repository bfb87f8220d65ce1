import "server-only";
import { notFound } from "next/navigation";
import { allows, isPlatformPermission, type AnyPermission, type Permission, type PlatformPermission } from "./permissions";
import { getSessionUser, getTenantContext, requireTenantContext, type SessionUser, type TenantContext } from "./session";

/**
 * A refusal. 401: not signed in. 403: the role lacks a tenant permission. 404: not a super user
 * for a platform permission (the admin pages and actions do not admit they exist).
 */
export class AuthorizationError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 403 | 404,
  ) {
    super(message);
    this.name = "AuthorizationError";
  }
}

/**
 * The one check for the signed-in user, through the permission map (`allows`): a tenant
 * permission gives the tenant context (the tenant from the session, never from the caller), a
 * platform permission the user. Throws AuthorizationError otherwise. Server actions
 * (withPermission, withPlatformPermission), route handlers and pages (canView) all call it.
 */
export async function assertCan(permission: Permission): Promise<TenantContext>;
export async function assertCan(permission: PlatformPermission): Promise<SessionUser>;
export async function assertCan(permission: AnyPermission): Promise<TenantContext | SessionUser> {
  if (isPlatformPermission(permission)) {
    const user = await getSessionUser();
    if (!user || !allows({ type: "user", role: null, isSuperUser: user.isSuperUser }, permission)) {
      throw new AuthorizationError("Not found.", 404);
    }
    return user;
  }
  const context = await getTenantContext();
  if (!context) throw new AuthorizationError("You are not signed in.", 401);
  if (!allows({ type: "user", role: context.role, isSuperUser: context.user.isSuperUser }, permission)) {
    throw new AuthorizationError("Your role does not allow this action.", 403);
  }
  return context;
}

/**
 * For pages: the tenant context when the user may see the page (`permission`, its read
 * permission), a redirect to sign-in (back to `returnTo`) or to /no-tenant when signed out or
 * without a tenant, and the same 404 as a page that does not exist when the map refuses.
 */
export async function canView(permission: AnyPermission, returnTo: string): Promise<TenantContext> {
  const context = await requireTenantContext(returnTo);
  try {
    await (isPlatformPermission(permission) ? assertCan(permission) : assertCan(permission));
  } catch (error) {
    if (error instanceof AuthorizationError) notFound();
    throw error;
  }
  return context;
}
