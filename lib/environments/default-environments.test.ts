// Every tenant has the default environments and every key has an environment (issue 15):
// tenants made by the seed and the test factory, keys created without one (production), an edit
// may not clear it, production cannot be deleted, deleting another moves its old keys, and the
// migration 20261205010000_default_environments backfills databases made before.
// Runs on SQLite and, in the PostgreSQL phase, on PostgreSQL (tests/db.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execSql, mutableState, ROOT, seededDb, TEST_PROVIDER, userContext, type SeededDb } from "../../tests/db";
import { createKeys, createTenant } from "../../tests/factory";
import { createApiKey, updateApiKey } from "../api-keys/mutations";
import { createEnvironment, deleteEnvironment } from "./mutations";

const MIGRATION = "20261205010000_default_environments";
const migrationSql = () =>
  readFileSync(path.join(ROOT, "prisma", ...(TEST_PROVIDER === "postgresql" ? ["postgresql"] : []), "migrations", MIGRATION, "migration.sql"), "utf8");

describe("default environments", () => {
  let t: SeededDb;
  beforeEach(async () => {
    t = await seededDb("default-environments");
  });
  afterEach(async () => {
    await t.close();
  });
  const admin = () => userContext(t.fx.acme.id, t.fx.users.admin);
  const names = async (tenantId: string) => (await t.db.environment.findMany({ where: { tenantId }, select: { name: true } })).map((e) => e.name).sort();
  const envId = async (tenantId: string, name: string) => (await t.db.environment.findFirstOrThrow({ where: { tenantId, name }, select: { id: true } })).id;
  const envOfKey = async (id: string) => (await t.db.apiKey.findUniqueOrThrow({ where: { id }, select: { environment: { select: { name: true } } } })).environment?.name ?? null;

  it("every tenant the seed or the factory makes has production, staging and development, and every seeded key an environment", async () => {
    expect(await names(t.fx.acme.id)).toEqual(["development", "production", "staging"]);
    expect(await names(t.fx.globex.id)).toEqual(["development", "production", "staging"]);
    expect(await t.db.apiKey.count({ where: { environmentId: null } })).toBe(0);

    const made = await createTenant(t.db, { name: "Initech", slug: "initech", groups: [{ name: "Keys", type: "tenant_api_key", scopes: "" }] });
    expect(await names(made.id)).toEqual(["development", "production", "staging"]);
    const [key] = await createKeys(t.db, made.id, [{ groupId: made.groups.Keys, name: "Factory key" }]);
    expect(await envOfKey(key.id)).toBe("production");
  });

  it("a key created without an environment (absent or null) runs in the tenant's production; a chosen one is kept", async () => {
    const group = t.fx.groups.acmeReadOnly.id;
    const absent = await createApiKey(t.db, admin(), { name: "No environment given", groupId: group });
    const none = await createApiKey(t.db, admin(), { name: "Environment null", groupId: group, environmentId: null });
    const blank = await createApiKey(t.db, admin(), { name: "Environment blank", groupId: group, environmentId: "" });
    const chosen = await createApiKey(t.db, admin(), { name: "Staging chosen", groupId: group, environmentId: await envId(t.fx.acme.id, "staging") });
    const production = await envId(t.fx.acme.id, "production");
    for (const result of [absent, none, blank]) {
      if (!result.ok) throw new Error(result.error.message);
      expect(result.value.key.environment).toEqual({ id: production, name: "production" });
      expect(await envOfKey(result.value.key.id)).toBe("production");
    }
    if (!chosen.ok) throw new Error(chosen.error.message);
    expect(await envOfKey(chosen.value.key.id)).toBe("staging");
    // The create's audit event names it.
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { targetKeyId: absent.ok ? absent.value.key.id : "", action: "api_key.created" } });
    expect(JSON.parse(event.details!)).toMatchObject({ environment: "production" });
  });

  it("an edit keeps the environment when it leaves it out, and may not clear it: a field error, nothing written", async () => {
    const erp = t.fx.keys["ERP Integration"];
    const kept = await updateApiKey(t.db, admin(), erp.id, { name: "ERP renamed" }, { partial: true });
    expect(kept).toMatchObject({ ok: true, value: { environment: { name: "production" } } });
    const before = await mutableState(t);
    for (const environmentId of [null, ""]) {
      const cleared = await updateApiKey(t.db, admin(), erp.id, { environmentId }, { partial: true });
      expect(cleared).toMatchObject({ ok: false, error: { code: "validation", fieldErrors: { environmentId: ["Every key has an environment: choose one."] } } });
    }
    expect(await mutableState(t)).toBe(before);
  });

  it("production cannot be deleted; deleting another environment moves its revoked and expired keys to production", async () => {
    const production = await envId(t.fx.acme.id, "production");
    const before = await mutableState(t);
    expect(await deleteEnvironment(t.db, admin(), production)).toMatchObject({ ok: false, error: { code: "conflict", message: expect.stringContaining("cannot be deleted") } });
    expect(await mutableState(t)).toBe(before);

    // Legacy Webhook Relay (expired) runs in development in the seed.
    const legacy = t.fx.keys["Legacy Webhook Relay"].id;
    expect(await envOfKey(legacy)).toBe("development");
    const development = await envId(t.fx.acme.id, "development");
    expect(await deleteEnvironment(t.db, admin(), development)).toMatchObject({ ok: true });
    expect(await envOfKey(legacy)).toBe("production");
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { tenantId: t.fx.acme.id, action: "environment.deleted" } });
    expect(JSON.parse(event.details!)).toMatchObject({ name: "development", keysMoved: 1, keysMovedTo: "production" });

    // A new environment without keys goes without moving anything.
    const made = await createEnvironment(t.db, admin(), { name: "eu-staging" });
    if (!made.ok) throw new Error(made.error.message);
    expect(await deleteEnvironment(t.db, admin(), made.value.id)).toMatchObject({ ok: true });
  });

  it(`the migration ${MIGRATION} gives tenants without environments the defaults, tenants without production one, and keys without one their tenant's production`, async () => {
    // A database as the previous release could leave it: a tenant with no environment at all,
    // Globex without production, keys without an environment.
    const bare = await t.db.tenant.create({ data: { name: "Bare", slug: "bare" }, select: { id: true } });
    const bareGroup = await t.db.authorizationGroup.create({ data: { tenantId: bare.id, name: "Keys", type: "tenant_api_key" }, select: { id: true } });
    const bareKey = await t.db.apiKey.create({ data: { tenantId: bare.id, groupId: bareGroup.id, name: "Old key", prefix: "kw_test_old", hash: "h_old_key" }, select: { id: true } });
    await t.db.apiKey.updateMany({ where: { tenantId: { in: [t.fx.acme.id, t.fx.globex.id] }, name: { not: "Staging Scheduler" } }, data: { environmentId: null } });
    await t.db.environment.deleteMany({ where: { tenantId: t.fx.globex.id, name: "production" } });
    expect(await t.db.apiKey.count({ where: { environmentId: null } })).toBeGreaterThan(2);

    await execSql(t, migrationSql());
    expect(await names(bare.id)).toEqual(["development", "production", "staging"]);
    expect(await names(t.fx.globex.id)).toEqual(["development", "production", "staging"]);
    expect(await t.db.apiKey.count({ where: { environmentId: null } })).toBe(0);
    expect(await envOfKey(bareKey.id)).toBe("production");
    expect(await envOfKey(t.fx.keys["Globex Billing Bridge"].id)).toBe("production");
    // Each key gets its own tenant's production, and a key that had one keeps it.
    const acmeKeys = await t.db.apiKey.findMany({ where: { tenantId: t.fx.acme.id }, select: { name: true, environment: { select: { tenantId: true, name: true } } } });
    expect(acmeKeys.every((k) => k.environment?.tenantId === t.fx.acme.id)).toBe(true);
    expect(acmeKeys.find((k) => k.name === "Staging Scheduler")?.environment?.name).toBe("staging");

    // Run again (migrate deploy never does, but the SQL does not rely on it): nothing changes.
    const after = await mutableState(t);
    await execSql(t, migrationSql());
    expect(await mutableState(t)).toBe(after);
  });
});
