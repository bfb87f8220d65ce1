import { describe, expect, it } from "vitest";
import {
  PERMISSIONS,
  PLATFORM_PERMISSIONS,
  TENANT_ROLES,
  canOnPlatform,
  platformActorOf,
  can,
  parseScopes,
  scopesBeyond,
  deniedReason,
  isTenantRole,
  roleLabel,
  allows,
  isPlatformPermission,
  SCOPES,
  type EffectiveRole,
  type Permission,
  type PlatformPermission,
} from "./permissions";

const ALL_ROLES: EffectiveRole[] = ["owner", "admin", "operator", "superuser"];
// Inside a tenant; the platform's own (super user, root key) permissions are tested on their own below.
const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];
const MANAGE: Permission[] = ["keys.create", "keys.update", "keys.rotate", "keys.revoke"];
const READ: Permission[] = ["keys.read", "audit.read"];

describe("platform permissions", () => {
  it("lets only a super user end another user's sessions", () => {
    expect(PLATFORM_PERMISSIONS["users.endSessions"]).toEqual(["superuser"]);
    expect(canOnPlatform(platformActorOf({ isSuperUser: true }), "users.endSessions")).toBe(true);
    expect(canOnPlatform("root_key", "users.endSessions")).toBe(false);
    for (const user of [{ isSuperUser: false }, null, undefined]) expect(canOnPlatform(platformActorOf(user), "users.endSessions")).toBe(false);
  });
});

describe("role model", () => {
  it("knows exactly the three tenant roles", () => {
    expect([...TENANT_ROLES]).toEqual(["owner", "admin", "operator"]);
    for (const role of TENANT_ROLES) expect(isTenantRole(role)).toBe(true);
    for (const other of ["superuser", "Owner", "root", "", null, undefined, 1, {}]) {
      expect(isTenantRole(other), String(other)).toBe(false);
    }
  });

  it("lets owners and admins manage keys", () => {
    for (const role of ["owner", "admin"] as const) {
      for (const permission of [...MANAGE, ...READ]) {
        expect(can(role, permission), `${role} ${permission}`).toBe(true);
      }
    }
  });

  it("gives operators and super users read access only", () => {
    for (const role of ["operator", "superuser"] as const) {
      for (const permission of READ) expect(can(role, permission), `${role} ${permission}`).toBe(true);
      for (const permission of [...MANAGE, "keys.revokeAll" as const]) {
        expect(can(role, permission), `${role} ${permission}`).toBe(false);
      }
    }
  });

  it("lets only the owner revoke all keys at once", () => {
    expect(ALL_ROLES.filter((role) => can(role, "keys.revokeAll"))).toEqual(["owner"]);
  });

  it("has every permission granted to the owner, and nothing write-like to read-only roles", () => {
    for (const permission of ALL_PERMISSIONS) expect(can("owner", permission), permission).toBe(true);
    const writes = ALL_PERMISSIONS.filter((p) => !p.endsWith(".read"));
    for (const permission of writes) {
      expect(can("operator", permission), permission).toBe(false);
      expect(can("superuser", permission), permission).toBe(false);
    }
  });

  it("denies unknown, missing and mis-cased roles", () => {
    for (const role of [null, undefined, "", "root", "Owner", "ADMIN", "guest"]) {
      for (const permission of ALL_PERMISSIONS) {
        expect(can(role as EffectiveRole | null | undefined, permission), `${String(role)} ${permission}`).toBe(false);
      }
    }
  });

  it("never grants an unknown permission (returning false or throwing are both closed)", () => {
    for (const role of ALL_ROLES) {
      let granted: boolean;
      try {
        granted = can(role, "keys.delete" as Permission);
      } catch {
        granted = false;
      }
      expect(granted, role).toBe(false);
    }
  });
});

describe("deniedReason", () => {
  it("is null when the role may act", () => {
    for (const role of ALL_ROLES) {
      for (const permission of ALL_PERMISSIONS) {
        if (can(role, permission)) expect(deniedReason(role, permission), `${role} ${permission}`).toBeNull();
      }
    }
  });

  it("explains in words which roles are needed", () => {
    expect(deniedReason("operator", "keys.create")).toBe(
      "Your role (operator) is read-only here: this needs an owner or admin.",
    );
    expect(deniedReason("superuser", "keys.revoke")).toBe(
      "Your role (super user) is read-only here: this needs an owner or admin.",
    );
    expect(deniedReason("admin", "keys.revokeAll")).toBe(
      "Your role (admin) is read-only here: this needs an owner.",
    );
  });

  it("gives a non-empty reason for every denied role and permission", () => {
    for (const role of ALL_ROLES) {
      for (const permission of ALL_PERMISSIONS) {
        if (!can(role, permission)) {
          const reason = deniedReason(role, permission);
          expect(reason, `${role} ${permission}`).toMatch(/^Your role \(.+\) .+: this needs an? .+\.$/);
          expect(reason).toContain(roleLabel(role).toLowerCase());
        }
      }
    }
  });
});

describe("roleLabel", () => {
  it("names every effective role", () => {
    expect(ALL_ROLES.map(roleLabel)).toEqual(["Owner", "Admin", "Operator", "Super user"]);
  });
});

describe("scopesBeyond (a key hands out only scopes it holds)", () => {
  it("names the granted scopes the holder lacks, once each", () => {
    expect(scopesBeyond(["api_keys:read", "api_keys:write"], ["api_keys:read", "audit:read", "audit:read"])).toEqual(["audit:read"]);
    expect(scopesBeyond(["api_keys:read"], ["api_keys:read"])).toEqual([]);
    expect(scopesBeyond([], parseScopes("  api_keys:read  api_keys:write "))).toEqual(["api_keys:read", "api_keys:write"]);
    expect(scopesBeyond(parseScopes(""), parseScopes(""))).toEqual([]);
  });
});

describe("allows: the one check for users, root keys and API keys", () => {
  it("names tenant and platform permissions apart", () => {
    const tenant = Object.keys(PERMISSIONS);
    for (const permission of Object.keys(PLATFORM_PERMISSIONS)) {
      expect(tenant, permission).not.toContain(permission);
      expect(isPlatformPermission(permission as PlatformPermission)).toBe(true);
    }
    for (const permission of tenant) expect(isPlatformPermission(permission as Permission)).toBe(false);
  });

  it("answers as can() for a user's role, and as canOnPlatform() for the platform", () => {
    for (const role of [...ALL_ROLES, null]) {
      for (const isSuperUser of [true, false]) {
        for (const permission of ALL_PERMISSIONS) expect(allows({ type: "user", role, isSuperUser }, permission)).toBe(can(role, permission));
        for (const permission of Object.keys(PLATFORM_PERMISSIONS) as PlatformPermission[]) {
          expect(allows({ type: "user", role, isSuperUser }, permission)).toBe(canOnPlatform(isSuperUser ? "superuser" : null, permission));
        }
      }
    }
  });

  it("lets a root key verify keys and read connection credentials, and nothing else", () => {
    const granted = [...ALL_PERMISSIONS, ...(Object.keys(PLATFORM_PERMISSIONS) as PlatformPermission[])].filter((p) => allows({ type: "root_key" }, p));
    expect(granted).toEqual(["keys.verify", "connections.readCredential"]);
  });

  it("lets an API key do what its scopes grant: read with api_keys:read, change with api_keys:write, never revoke all", () => {
    const granted = (scopes: string[]) => ALL_PERMISSIONS.filter((p) => allows({ type: "api_key", scopes }, p));
    expect(granted([SCOPES.keysRead])).toEqual(["keys.read", "audit.read"]);
    expect(granted([SCOPES.keysWrite])).toEqual(["keys.create", "keys.update", "keys.rotate", "keys.revoke", "keys.disable", "tokens.revoke"]);
    expect(granted([])).toEqual([]);
    expect(granted(["audit:read", "*"])).toEqual([]);
    for (const permission of Object.keys(PLATFORM_PERMISSIONS) as PlatformPermission[]) {
      expect(allows({ type: "api_key", scopes: Object.values(SCOPES) }, permission)).toBe(false);
    }
  });
});
