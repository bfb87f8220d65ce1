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
} as const satisfies Record<string, readonly EffectiveRole[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * Platform-level actions, not bound to a tenant: what super users may do (end a user's sessions,
 * manage root keys) and what a root key may do (verify tenants' keys through /v1/keys/verify and
 * /v1/authorize, limited further by the key's own tenant list).
 */
export type PlatformActor = "superuser" | "root_key";
export const PLATFORM_PERMISSIONS = {
  "users.endSessions": ["superuser"],
  "rootKeys.read": ["superuser"],
  "rootKeys.manage": ["superuser"],
  "platformAudit.read": ["superuser"],
  "keys.verify": ["root_key"],
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
