/**
 * The one permission map: what each tenant role, super user, root key and API key scope may do.
 * Server actions, pages, route handlers, the /v1 routes and their gate all ask it through one
 * check (`allows` here; `assertCan` in lib/auth/assert-can.ts for the signed-in user), and the
 * client reads it to disable a button and say why; hiding a button is never the access control.
 * Pure data and functions, no imports: server/ (plain node) and client components import it too.
 */

/** API key scopes, named once. An authorization group stores them space-separated. */
export const SCOPES = {
  keysRead: "api_keys:read",
  keysWrite: "api_keys:write",
} as const;
export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export const TENANT_ROLES = ["owner", "admin", "operator"] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

/** A super user looking at a tenant they are not a member of sees it read-only. */
export type EffectiveRole = TenantRole | "superuser";

export const PERMISSIONS = {
  "keys.read": ["owner", "admin", "operator", "superuser"],
  "keys.create": ["owner", "admin"],
  "keys.update": ["owner", "admin"],
  "keys.rotate": ["owner", "admin"],
  "keys.revoke": ["owner", "admin"],
  "keys.revokeAll": ["owner"],
  // Switching a key off and on again (reversible, unlike revoke); ending a rotation overlap is
  // part of rotating (keys.rotate).
  "keys.disable": ["owner", "admin"],
  // Signed tokens (lib/tokens/): made and revoked by the roles that make and revoke keys.
  "tokens.create": ["owner", "admin"],
  "tokens.revoke": ["owner", "admin"],
  "audit.read": ["owner", "admin", "operator", "superuser"],
  "settings.read": ["owner", "admin", "operator", "superuser"],
  // An authorization group's rate limits (Settings): operators and super users see them only.
  "groups.update": ["owner", "admin"],
  // Connection credentials (lib/connections/): operators see the non-secret parts only; nobody
  // in the dashboard ever sees a stored secret again.
  "connections.read": ["owner", "admin", "operator", "superuser"],
  "connections.manage": ["owner", "admin"],
  // Service accounts and environments (issue 15): everyone who reads keys sees them; the roles
  // that create keys manage them. No key scope: they are managed in the dashboard only.
  "serviceAccounts.read": ["owner", "admin", "operator", "superuser"],
  "serviceAccounts.manage": ["owner", "admin"],
  "environments.manage": ["owner", "admin"],
} as const satisfies Record<string, readonly EffectiveRole[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * Platform-level actions, not bound to a tenant: what super users may do (end a user's sessions,
 * manage root keys) and what a root key may do (verify tenants' keys through /v1/keys/verify and
 * /v1/authorize, limited further by the key's own tenant list).
 */
export type PlatformActor = "superuser" | "root_key";
export const PLATFORM_PERMISSIONS = {
  "tenants.read": ["superuser"],
  "tenants.manage": ["superuser"],
  "users.endSessions": ["superuser"],
  "rootKeys.read": ["superuser"],
  "rootKeys.manage": ["superuser"],
  "platformAudit.read": ["superuser"],
  "signingKeys.manage": ["superuser"],
  "keys.verify": ["root_key"],
  // GET /v1/connections/{id}/credential: the platform's services read a tenant's active
  // credential (limited further by the root key's own tenant list), every read audited.
  "connections.readCredential": ["root_key"],
} as const satisfies Record<string, readonly PlatformActor[]>;
export type PlatformPermission = keyof typeof PLATFORM_PERMISSIONS;

export function canOnPlatform(actor: PlatformActor | null | undefined, permission: PlatformPermission): boolean {
  if (!actor) return false;
  return (PLATFORM_PERMISSIONS[permission] as readonly PlatformActor[]).includes(actor);
}

/** A signed-in user acts on the platform as a super user or not at all. */
export function platformActorOf(user: { isSuperUser: boolean } | null | undefined): PlatformActor | null {
  return user?.isSuperUser ? "superuser" : null;
}

export function isTenantRole(value: unknown): value is TenantRole {
  return typeof value === "string" && (TENANT_ROLES as readonly string[]).includes(value);
}

export function can(role: EffectiveRole | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return (PERMISSIONS[permission] as readonly EffectiveRole[]).includes(role);
}

const ROLE_LABELS: Record<EffectiveRole, string> = {
  owner: "Owner",
  admin: "Admin",
  operator: "Operator",
  superuser: "Super user",
};

export function roleLabel(role: EffectiveRole): string {
  return ROLE_LABELS[role];
}

/** The tenant roles granted `permission`: whom a read-only user can ask. */
export function tenantRolesWith(permission: Permission): TenantRole[] {
  return TENANT_ROLES.filter((role) => can(role, permission));
}

/** Why a role may not do something, in words for a disabled button's tooltip. */
export function deniedReason(role: EffectiveRole, permission: Permission): string | null {
  if (can(role, permission)) return null;
  const allowed = (PERMISSIONS[permission] as readonly EffectiveRole[]).map((r) => ROLE_LABELS[r].toLowerCase());
  const who = allowed.length === 1 ? `an ${allowed[0]}` : `an ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}`;
  return `Your role (${ROLE_LABELS[role].toLowerCase()}) is read-only here: this needs ${who}.`;
}

/** A group's scopes as stored: space-separated. */
export function parseScopes(scopes: string): string[] {
  return scopes.split(" ").filter(Boolean);
}

/**
 * The scopes among `granted` that `held` lacks. An API key may hand out only what it holds: it
 * creates, edits or rotates only keys whose scopes are all its own (a person is bound by their
 * role instead), so a key can never mint or move into more power than it has.
 */
export function scopesBeyond(held: readonly string[], granted: readonly string[]): string[] {
  const own = new Set(held);
  return [...new Set(granted)].filter((scope) => !own.has(scope));
}

/**
 * The scope that gives an API key a tenant permission on /v1 (scope -> permissions, written the
 * other way round: each permission has at most one scope). Reading the audit trail's checkpoints
 * is granted to every role that may read keys (operators included), so a key that may read keys
 * may fetch them too. Revoke all and settings have no scope: no key may do them.
 */
export const KEY_SCOPE_FOR = {
  "keys.read": SCOPES.keysRead,
  "keys.create": SCOPES.keysWrite,
  "keys.update": SCOPES.keysWrite,
  "keys.rotate": SCOPES.keysWrite,
  "keys.revoke": SCOPES.keysWrite,
  "keys.disable": SCOPES.keysWrite,
  "tokens.revoke": SCOPES.keysWrite,
  "audit.read": SCOPES.keysRead,
} as const satisfies Partial<Record<Permission, Scope>>;

/** The scope a key needs for `permission`, or null when no key may do it. */
export function keyScopeFor(permission: Permission): Scope | null {
  return (KEY_SCOPE_FOR as Partial<Record<Permission, Scope>>)[permission] ?? null;
}

/** Every permission: a tenant's (roles, key scopes) or the platform's (super users, root keys). */
export type AnyPermission = Permission | PlatformPermission;

export function isPlatformPermission(permission: AnyPermission): permission is PlatformPermission {
  return Object.hasOwn(PLATFORM_PERMISSIONS, permission);
}

/**
 * Who asks: a signed-in user (their role in the current tenant, null without one, and whether
 * they are a super user), a root key, or a tenant's API key (its group's scopes).
 */
export type Principal =
  | { type: "user"; role: EffectiveRole | null; isSuperUser: boolean }
  | { type: "root_key" }
  | { type: "api_key"; scopes: readonly string[] };

/** The one check: may `principal` do `permission`? */
export function allows(principal: Principal, permission: AnyPermission): boolean {
  if (isPlatformPermission(permission)) {
    const actor = principal.type === "root_key" ? "root_key" : principal.type === "user" ? platformActorOf(principal) : null;
    return canOnPlatform(actor, permission);
  }
  if (principal.type === "user") return can(principal.role, permission);
  if (principal.type === "api_key") {
    const scope = keyScopeFor(permission);
    return scope !== null && principal.scopes.includes(scope);
  }
  return false;
}
