import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_TAG, DISPLAY_RANDOM_LENGTH } from "../api-keys/key-format";
import { verifyPassword } from "../auth/password";
// Each database comes from tests/db.ts: a SQLite file, or PostgreSQL in the PostgreSQL phase.
import { migratedDb, tableCounts, type TempTestDatabase } from "../../tests/db";
import { createPrismaClient, type Db } from "./prisma";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from "./seed";

const NOW = new Date("2026-11-23T12:00:00.000Z");

describe("demo seed", () => {
  let temp: TempTestDatabase;
  let db: Db;
  let first: Awaited<ReturnType<typeof seedDemoData>>;

  beforeAll(async () => {
    temp = await migratedDb("keyward-seed");
    db = createPrismaClient(temp.url);
    first = await seedDemoData(db, NOW);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await temp?.close();
  });

  it("seeds a new database", async () => {
    expect(first).toEqual({ seeded: true });
    const counts = await tableCounts(temp);
    expect(counts.Tenant).toBe(2);
    expect(counts.User).toBe(DEMO_USERS.length);
    expect(counts.Membership).toBe(DEMO_USERS.filter((u) => u.tenant).length);
    expect(counts.AuthorizationGroup).toBe(4);
    expect(counts.ApiKey).toBe(7);
  });

  it("is idempotent: a second run seeds nothing and changes no row", async () => {
    const before = await tableCounts(temp);
    const snapshot = await db.apiKey.findMany({ orderBy: { id: "asc" } });
    const users = await db.user.findMany({ orderBy: { id: "asc" } });

    expect(await seedDemoData(db, new Date(NOW.getTime() + 60_000))).toEqual({ seeded: false });

    expect(await tableCounts(temp)).toEqual(before);
    expect(await db.apiKey.findMany({ orderBy: { id: "asc" } })).toEqual(snapshot);
    expect(await db.user.findMany({ orderBy: { id: "asc" } })).toEqual(users);
  });

  it("leaves a database alone that already has users but no tenant", async () => {
    const other = await migratedDb("keyward-seed-user-only");
    const client = createPrismaClient(other.url);
    try {
      await client.user.create({ data: { email: "someone@example.test", name: "Someone", passwordHash: "x" } });
      expect(await seedDemoData(client, NOW)).toEqual({ seeded: false });
      expect(await tableCounts(other)).toMatchObject({ Tenant: 0, User: 1, ApiKey: 0 });
    } finally {
      await client.$disconnect();
      await other.close();
    }
  });

  it("stores only a 64-hex HMAC and a short display prefix for every seeded key", async () => {
    const keys = await db.apiKey.findMany();
    expect(keys).toHaveLength(7);
    const prefixPattern = new RegExp(`^${KEY_TAG}[0-9A-Za-z]{${DISPLAY_RANDOM_LENGTH}}$`);
    for (const key of keys) {
      expect(key.hash, key.name).toMatch(/^[0-9a-f]{64}$/);
      expect(key.previousHash, key.name).toBeNull();
      expect(key.prefix, key.name).toMatch(prefixPattern);
      // Nothing that looks like a whole secret anywhere in the row.
      for (const value of Object.values(key)) {
        if (typeof value === "string") expect(value, key.name).not.toMatch(/kw_[0-9A-Za-z]{20,}/);
      }
    }
    expect(new Set(keys.map((k) => k.hash)).size).toBe(keys.length);
  });

  it("gives demo users scrypt hashes of the demo password, never the password itself", async () => {
    const users = await db.user.findMany({ orderBy: { email: "asc" } });
    expect(users.map((u) => u.email)).toEqual(DEMO_USERS.map((u) => u.email).sort());
    for (const user of users) {
      expect(user.passwordHash, user.email).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
      expect(user.passwordHash).not.toContain(DEMO_PASSWORD);
      expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash), user.email).toBe(true);
      expect(await verifyPassword("wrong-password", user.passwordHash), user.email).toBe(false);
    }
  });

  it("matches the documented demo data (roles, tenants, keys, groups)", async () => {
    const memberships = await db.membership.findMany({ include: { user: true, tenant: true } });
    const byEmail = Object.fromEntries(memberships.map((m) => [m.user.email, `${m.tenant.name}:${m.role}`]));
    expect(byEmail).toEqual({
      "owner@acme.test": "Acme:owner",
      "admin@acme.test": "Acme:admin",
      "operator@acme.test": "Acme:operator",
      "admin@globex.test": "Globex:admin",
    });
    const superUser = await db.user.findUniqueOrThrow({ where: { email: "super@keyward.test" } });
    expect(superUser.isSuperUser).toBe(true);
    expect(await db.user.count({ where: { isSuperUser: true } })).toBe(1);

    const acme = await db.tenant.findUniqueOrThrow({ where: { slug: "acme" }, include: { apiKeys: true, groups: true } });
    const globex = await db.tenant.findUniqueOrThrow({ where: { slug: "globex" }, include: { apiKeys: true, groups: true } });
    expect(acme.name).toBe("Acme");
    expect(acme.keyLimit).toBe(10);
    expect(acme.groups.map((g) => `${g.name}:${g.type}`).sort()).toEqual([
      "Full access:tenant_api_key",
      "Read only:tenant_api_key",
      "Support staff:user",
    ]);
    expect(globex.groups.map((g) => g.name)).toEqual(["Globex automation"]);
    expect(globex.apiKeys.map((k) => k.name)).toEqual(["Globex Billing Bridge"]);

    const status = (k: (typeof acme.apiKeys)[number]) =>
      k.status === "revoked" ? "revoked" : k.expiresAt && k.expiresAt <= NOW ? "expired" : "active";
    const acmeKeys = Object.fromEntries(acme.apiKeys.map((k) => [k.name, k]));
    expect(Object.fromEntries(acme.apiKeys.map((k) => [k.name, status(k)]))).toEqual({
      "ERP Integration": "active",
      "Mobile App": "active",
      "Reporting Exporter": "active",
      "Staging Scheduler": "active",
      "Legacy Webhook Relay": "expired",
      "Contractor Sync": "revoked",
    });
    expect(acme.apiKeys.filter((k) => status(k) === "active")).toHaveLength(4);
    expect(acmeKeys["Mobile App"].expiresAt).toBeNull();
    expect(acmeKeys["Staging Scheduler"].lastUsedAt).toBeNull();
    expect(acmeKeys["Reporting Exporter"].expiresAt?.getTime()).toBe(NOW.getTime() + 3 * 24 * 3600_000);
    expect(acmeKeys["Contractor Sync"].revokedAt).not.toBeNull();
    // Keys only ever get groups meant for keys, and of their own tenant.
    const groups = new Map([...acme.groups, ...globex.groups].map((g) => [g.id, g]));
    for (const key of [...acme.apiKeys, ...globex.apiKeys]) {
      expect(groups.get(key.groupId)?.type, key.name).toBe("tenant_api_key");
      expect(groups.get(key.groupId)?.tenantId, key.name).toBe(key.tenantId);
    }
  });
});

describe("demo seed, two clients racing on one new database", () => {
  it("seeds exactly once", async () => {
    const temp = await migratedDb("keyward-seed-race");
    const a = createPrismaClient(temp.url);
    const b = createPrismaClient(temp.url);
    try {
      const results = await Promise.allSettled([seedDemoData(a, NOW), seedDemoData(b, NOW)]);
      const seeded = results.filter((r) => r.status === "fulfilled" && r.value.seeded);
      // One run seeds. The other either sees the data and skips, or fails (SQLite: loses the
      // write lock; PostgreSQL: its insert of the same tenant slug violates the unique index):
      // both are acceptable for a start-up script, seeding twice is not.
      expect(seeded).toHaveLength(1);
      expect(await tableCounts(temp)).toMatchObject({ Tenant: 2, User: DEMO_USERS.length, ApiKey: 7 });
    } finally {
      await a.$disconnect();
      await b.$disconnect();
      await temp.close();
    }
  });
});
