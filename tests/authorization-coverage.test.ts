// Every dashboard page, server action and route handler asks the one permission map before it
// reads or changes anything. The map is made to refuse everything (its `allows` mocked to
// false, recording what was asked); each page must then answer 404, each action a refusal, each
// route handler 403, and each must have asked for the permission listed here. A page, action or
// route file that is not listed fails the first test: a new one cannot skip the check unseen.
//
// next-auth's session, cookies, headers, revalidatePath and notFound/redirect are mocked; the
// code runs against its real database module (lib/db) on a fresh seeded database.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { mutableState, seededDb, type SeededDb } from "./db";
import type { AnyPermission } from "@/lib/auth/permissions";

const request = vi.hoisted(() => ({ userId: null as string | null, asked: [] as string[] }));

vi.mock("next-auth", () => ({
  getServerSession: vi.fn(async () => (request.userId ? { user: { id: request.userId } } : null)),
}));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, set: () => undefined }),
  headers: async () => new Headers(),
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next/navigation", () => ({
  notFound: vi.fn(() => {
    throw new Error("NOT_FOUND");
  }),
  redirect: vi.fn((to: string) => {
    throw new Error(`REDIRECT ${to}`);
  }),
}));
vi.mock("@/lib/auth/permissions", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/permissions")>()),
  allows: vi.fn((_principal: unknown, permission: string) => {
    request.asked.push(permission);
    return false;
  }),
}));

const APP = path.resolve(__dirname, "..", "app", "(dashboard)");

/** Each page and the permission it needs to be seen at all (its read permission). */
const PAGES: Record<string, { permission: AnyPermission; props?: Record<string, unknown> }> = {
  "tenant-api-keys/page.tsx": { permission: "keys.read", props: { searchParams: Promise.resolve({}) } },
  "tenant-api-keys/[keyId]/page.tsx": { permission: "keys.read", props: { params: Promise.resolve({ keyId: "any" }) } },
  "tenant-api-keys/new/page.tsx": { permission: "keys.read", props: { searchParams: Promise.resolve({}) } },
  "audit-log/page.tsx": { permission: "audit.read", props: { searchParams: Promise.resolve({}) } },
  "settings/page.tsx": { permission: "settings.read" },
  "admin/page.tsx": { permission: "tenants.read" },
  "admin/root-keys/page.tsx": { permission: "rootKeys.read" },
  "tenant-api-keys/tokens/page.tsx": { permission: "keys.read" },
  "settings/connections/page.tsx": { permission: "connections.read" },
  "service-accounts/page.tsx": { permission: "serviceAccounts.read", props: { searchParams: Promise.resolve({}) } },
  "service-accounts/[accountId]/page.tsx": { permission: "serviceAccounts.read", props: { params: Promise.resolve({ accountId: "any" }), searchParams: Promise.resolve({}) } },
};

/** Each server action, the permission it needs, and arguments that would succeed for an owner or super user. */
const ACTIONS: Record<string, Record<string, { permission: AnyPermission; args: (t: SeededDb) => unknown[] }>> = {
  "tenant-api-keys/actions.ts": {
    createApiKeyAction: { permission: "keys.create", args: (t) => [{ name: "Forged", groupId: t.fx.groups.acmeFull.id }] },
    updateApiKeyAction: { permission: "keys.update", args: (t) => [t.fx.keys["ERP Integration"].id, { name: "Renamed", groupId: t.fx.groups.acmeFull.id }] },
    rotateApiKeyAction: { permission: "keys.rotate", args: (t) => [t.fx.keys["ERP Integration"].id, { overlap: "none" }] },
    revokeApiKeyAction: { permission: "keys.revoke", args: (t) => [t.fx.keys["ERP Integration"].id] },
    revokeAllApiKeysAction: { permission: "keys.revokeAll", args: () => ["Acme"] },
    // A read (the forms' duplicate-name warning), refused all the same without keys.read.
    duplicateKeyNameAction: { permission: "keys.read", args: () => ["ERP Integration"] },
    disableApiKeyAction: { permission: "keys.disable", args: (t) => [t.fx.keys["ERP Integration"].id] },
    enableApiKeyAction: { permission: "keys.disable", args: (t) => [t.fx.keys["ERP Integration"].id] },
    endRotationOverlapAction: { permission: "keys.rotate", args: (t) => [t.fx.keys["ERP Integration"].id] },
  },
  "tenant-api-keys/tokens/actions.ts": {
    issueTokenAction: { permission: "tokens.create", args: (t) => [{ name: "Forged", expiresIn: "1h", groupId: t.fx.groups.acmeFull.id, scopes: ["api_keys:read"] }] },
    revokeTokenAction: { permission: "tokens.revoke", args: () => ["any"] },
  },
  "_assistant/actions.ts": {
    assistantSnapshotAction: { permission: "keys.read", args: () => [] },
    assistantKeyAction: { permission: "keys.update", args: (t) => [t.fx.keys["ERP Integration"].id] },
    assistantModelAction: { permission: "keys.read", args: () => ["rotate the ERP key"] },
  },
  "audit-log/actions.ts": {
    verifyAuditChainAction: { permission: "audit.read", args: () => [] },
  },
  "admin/actions.ts": {
    setTenantKeyLimitAction: { permission: "tenants.manage", args: (t) => [t.fx.acme.id, { keyLimit: 99 }] },
    endUserSessionsAction: { permission: "users.endSessions", args: (t) => [t.fx.users.operator.id] },
    rotateSigningKeyAction: { permission: "signingKeys.manage", args: () => [] },
  },
  "admin/root-keys/actions.ts": {
    createRootKeyAction: { permission: "rootKeys.manage", args: () => [{ name: "Forged root key", tenantIds: [] }] },
    rotateRootKeyAction: { permission: "rootKeys.manage", args: () => ["any"] },
    revokeRootKeyAction: { permission: "rootKeys.manage", args: () => ["any"] },
    updateRootKeyAction: { permission: "rootKeys.manage", args: () => ["any", { name: "Renamed" }] },
  },
  "settings/actions.ts": {
    setGroupRateLimitsAction: { permission: "groups.update", args: (t) => [t.fx.groups.acmeFull.id, { rateLimits: [{ limit: 5, windowSeconds: 60 }] }] },
  },
  "settings/connections/actions.ts": {
    createConnectionAction: {
      permission: "connections.manage",
      args: () => [{ name: "Forged", kind: "secret", secret: "forged-secret-value" }],
    },
    writeCredentialAction: { permission: "connections.manage", args: () => ["any", { secret: "x" }, undefined] },
    testCredentialAction: { permission: "connections.manage", args: () => ["any", "primary"] },
    switchSlotAction: { permission: "connections.manage", args: () => ["any", { untested: true }] },
    clearSlotAction: { permission: "connections.manage", args: () => ["any", undefined] },
    deleteConnectionAction: { permission: "connections.manage", args: () => ["any"] },
  },
  "service-accounts/actions.ts": {
    createServiceAccountAction: { permission: "serviceAccounts.manage", args: (t) => [{ name: "forged", ownerUserId: t.fx.users.owner.id }] },
    updateServiceAccountAction: { permission: "serviceAccounts.manage", args: (t) => ["any", { name: "forged", ownerUserId: t.fx.users.owner.id }] },
    deleteServiceAccountAction: { permission: "serviceAccounts.manage", args: () => ["any"] },
    createEnvironmentAction: { permission: "environments.manage", args: () => [{ name: "forged" }] },
    deleteEnvironmentAction: { permission: "environments.manage", args: () => ["any"] },
  },
  "actions.ts": {},
};

/** Actions on the user's own session and tenant choice: a session is all they need (lib/auth/session.ts). */
const SESSION_ONLY: Record<string, string[]> = { "actions.ts": ["signOutEverywhere", "switchTenant"] };

/** Route handlers of the dashboard (downloads) and the permission each needs. */
const ROUTES: Record<string, AnyPermission> = {
  "audit-log/export/route.ts": "audit.read",
  "audit-log/checkpoints/route.ts": "audit.read",
  "tenant-api-keys/[keyId]/requests/route.ts": "keys.read",
};

function files(dir: string, name: RegExp, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) return files(path.join(dir, entry.name), name, relative + "/");
    return name.test(entry.name) ? [relative] : [];
  });
}

function exportedFunctions(file: string): string[] {
  const source = readFileSync(path.join(APP, file), "utf8");
  return [...source.matchAll(/^export async function (\w+)/gm)].map((m) => m[1]);
}

let t: SeededDb;
beforeAll(async () => {
  t = await seededDb("keyward-authz");
  process.env.DATABASE_URL = t.url;
  delete (globalThis as { keywardDb?: unknown }).keywardDb;
});
afterAll(async () => {
  const globals = globalThis as { keywardDb?: { $disconnect(): Promise<void> } };
  await globals.keywardDb?.$disconnect();
  delete globals.keywardDb;
  await t.close();
});
beforeEach(() => {
  request.asked = [];
});

describe("the list of checked pages, actions and route handlers", () => {
  it("names every page, server action and route handler of the dashboard", () => {
    expect(files(APP, /^page\.tsx$/).sort()).toEqual(Object.keys(PAGES).sort());
    expect(files(APP, /^actions\.ts$/).sort()).toEqual(Object.keys(ACTIONS).sort());
    for (const [file, actions] of Object.entries(ACTIONS)) {
      expect(exportedFunctions(file).sort(), file).toEqual([...Object.keys(actions), ...(SESSION_ONLY[file] ?? [])].sort());
    }
    expect(files(APP, /^route\.ts$/).sort()).toEqual(Object.keys(ROUTES).sort());
  });
});

// Signed in as the owner of Acme (a tenant permission) or the super user (a platform one): who
// would pass; only the refusing map stops them.
const signedIn = (permission: AnyPermission) =>
  (request.userId = permission.startsWith("keys.") || permission.startsWith("audit.") || permission.startsWith("settings.") || permission.startsWith("groups.") || permission.startsWith("connections.") || permission.startsWith("serviceAccounts.") || permission.startsWith("environments.") ? t.fx.users.owner.id : t.fx.users.superUser.id);

describe("with a permission map that refuses everything", () => {
  for (const [file, { permission, props }] of Object.entries(PAGES)) {
    it(`${file} answers 404 after asking for ${permission}`, async () => {
      signedIn(permission);
      const page = (await import(/* @vite-ignore */ path.join(APP, file))) as { default: (props: unknown) => Promise<unknown> };
      await expect(page.default(props ?? {})).rejects.toThrow("NOT_FOUND");
      expect(request.asked).toContain(permission);
    });
  }

  for (const [file, actions] of Object.entries(ACTIONS)) {
    for (const [name, { permission, args }] of Object.entries(actions)) {
      it(`${file} ${name} is refused after asking for ${permission}, and changes nothing`, async () => {
        signedIn(permission);
        const loaded = (await import(/* @vite-ignore */ path.join(APP, file))) as Record<string, (...a: unknown[]) => Promise<unknown>>;
        const before = await mutableState(t);
        const result = (await loaded[name](...args(t))) as { ok: boolean; error?: unknown };
        expect(result.ok, JSON.stringify(result)).toBe(false);
        expect(request.asked).toContain(permission);
        expect(await mutableState(t)).toBe(before);
      });
    }
  }

  for (const [file, permission] of Object.entries(ROUTES)) {
    it(`${file} answers 403 after asking for ${permission}`, async () => {
      signedIn(permission);
      const route = (await import(/* @vite-ignore */ path.join(APP, file))) as { GET: (request: NextRequest) => Promise<Response> };
      const { NextRequest } = await import("next/server");
      const response = await route.GET(new NextRequest("http://keyward.test/audit-log/export"));
      expect(response.status).toBe(403);
      expect(request.asked).toContain(permission);
    });
  }
});
