// PostgreSQL migrations: from an empty database, idempotent when run again on a database with
// data, upgrading the previous release's database, and in step with the models (no change to the
// schema without its migration).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "../../lib/db/prisma";
import { seedDemoData } from "../../lib/db/seed";
import { ROOT, newDatabase, prismaCli } from "./pg";

const MIGRATIONS = path.join(ROOT, "prisma", "postgresql", "migrations");

describe("PostgreSQL migrations", () => {
  const clients: Db[] = [];
  afterAll(async () => {
    for (const client of clients) await client.$disconnect();
  });

  it("apply to an empty database and leave nothing pending", async () => {
    const url = await newDatabase("migrate");
    const deployed = prismaCli(["migrate", "deploy"], url);
    expect(deployed.status, deployed.output).toBe(0);
    const status = prismaCli(["migrate", "status"], url);
    expect(status.status, status.output).toBe(0);
    expect(status.output).toMatch(/Database schema is up to date/);
  }, 120_000);

  it("run again on a database in use: nothing applied twice, no data lost, the seed not repeated", async () => {
    const url = await newDatabase("rerun");
    expect(prismaCli(["migrate", "deploy"], url).status).toBe(0);
    const db = createPrismaClient(url);
    clients.push(db);
    expect(await seedDemoData(db)).toEqual({ seeded: true });
    const before = { keys: await db.apiKey.count(), users: await db.user.count() };
    const again = prismaCli(["migrate", "deploy"], url);
    expect(again.status, again.output).toBe(0);
    expect(again.output).toMatch(/No pending migrations/);
    expect(await seedDemoData(db)).toEqual({ seeded: false });
    expect({ keys: await db.apiKey.count(), users: await db.user.count() }).toEqual(before);
  }, 120_000);

  it("upgrade a database of the previous release: the newest migration applies on top, data kept", async () => {
    // The previous release's database: every migration but the newest, applied as its SQL and
    // then recorded as applied (Prisma's own baselining), with the demo data written into it.
    const all = readdirSync(MIGRATIONS).filter((name) => /^\d{14}_/.test(name)).sort();
    expect(all.length).toBeGreaterThan(1);
    const previous = all.slice(0, -1);
    const url = await newDatabase("upgrade");
    for (const name of previous) {
      await withClient(url, (c) => c.query(readFileSync(path.join(MIGRATIONS, name, "migration.sql"), "utf8")));
      const resolved = prismaCli(["migrate", "resolve", "--applied", name], url);
      expect(resolved.status, resolved.output).toBe(0);
    }
    const pending = prismaCli(["migrate", "status"], url);
    expect(pending.output).toContain(all.at(-1));
    // Data written as the previous release wrote it: plain SQL, because today's Prisma client
    // expects the newest columns (a client of that release would not).
    const snapshot = () =>
      withClient(url, async (c) => {
        const tables = ["Tenant", "User", "AuthorizationGroup", "ApiKey"];
        const out: Record<string, unknown[]> = {};
        for (const table of tables) out[table] = (await c.query(`SELECT * FROM "${table}" ORDER BY "id"`)).rows;
        return out;
      });
    await withClient(url, (c) =>
      c.query(`
        INSERT INTO "Tenant" ("id", "name", "slug", "updatedAt") VALUES ('t_prev', 'Previous', 'previous', now());
        INSERT INTO "User" ("id", "email", "name", "passwordHash", "updatedAt") VALUES ('u_prev', 'prev@example.test', 'Prev', 'x', now());
        INSERT INTO "AuthorizationGroup" ("id", "tenantId", "name", "type", "scopes") VALUES ('g_prev', 't_prev', 'Full', 'tenant_api_key', 'api_keys:read');
        INSERT INTO "ApiKey" ("id", "tenantId", "groupId", "name", "prefix", "hash", "updatedAt") VALUES ('k_prev', 't_prev', 'g_prev', 'Old key', 'kw_12345678', 'h_prev', now());
      `),
    );
    const before = await snapshot();

    const upgraded = prismaCli(["migrate", "deploy"], url);
    expect(upgraded.status, upgraded.output).toBe(0);
    expect(upgraded.output).toContain(all.at(-1));
    const status = prismaCli(["migrate", "status"], url);
    expect(status.output).toMatch(/Database schema is up to date/);
    // Every row and every old column is still there (new columns may have been added).
    const after = await snapshot();
    for (const [table, rows] of Object.entries(before)) {
      expect(after[table].map((row, i) => Object.fromEntries(Object.keys(rows[i] as object).map((k) => [k, (row as Record<string, unknown>)[k]]))), table).toEqual(rows);
    }
    const db = createPrismaClient(url);
    clients.push(db);
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: "k_prev" } })).toMatchObject({ name: "Old key", status: "active" });
  }, 180_000);

  it("match the models exactly (a model change without a migration fails here)", async () => {
    // The CLI cannot diff a live database while a driver adapter is configured, so compare
    // catalogs instead: the migrations applied to one database, the models' own SQL to another.
    const migrated = await newDatabase("migrated");
    expect(prismaCli(["migrate", "deploy"], migrated).status).toBe(0);
    const modelSql = prismaCli(["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/postgresql/schema.prisma", "--script"], migrated);
    expect(modelSql.status, modelSql.output).toBe(0);
    const fromModels = await newDatabase("models");
    await withClient(fromModels, (c) => c.query(modelSql.output.replace(/^Loaded Prisma config.*$/m, "")));
    expect(await catalog(migrated)).toEqual(await catalog(fromModels));
  }, 120_000);
});

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Tables, columns (type, nullability, default) and index definitions of the public schema. */
async function catalog(url: string) {
  return withClient(url, async (c) => {
    const columns = await c.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
    );
    const indexes = await c.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
    );
    return { columns: columns.rows, indexes: indexes.rows };
  });
}
