/**
 * The one permission map. Server actions, API routes and the client (to disable a button and
 * say why) all read it; hiding a button is never the access control.
 */
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
  "audit.read": ["owner", "admin", "operator", "superuser"],
  // Platform actions: a super user's role is "superuser" whatever their tenant memberships.
  "users.endSessions": ["superuser"],
} as const satisfies Record<string, readonly EffectiveRole[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Permissions that act on the platform (users, tenants), not inside one tenant. */
export const PLATFORM_PERMISSIONS = ["users.endSessions"] as const satisfies readonly Permission[];

/** The role for a platform action: "superuser" for a super user, none for anyone else. */
export function platformRole(user: { isSuperUser: boolean } | null | undefined): EffectiveRole | null {
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
 * The scope that gives an API key a permission on /v1 where the route has no scope of its own.
 * Reading the audit trail's checkpoints is granted to every role that may read keys (operators
 * included), so a key that may read keys may fetch them too.
 */
export const KEY_SCOPE_FOR = { "audit.read": "api_keys:read" } as const satisfies Partial<Record<Permission, string>>;
