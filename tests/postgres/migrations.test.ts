// PostgreSQL migrations: from an empty database, idempotent when run again on a database with
// data, upgrading the previous release's database, and in step with the models (no change to the
// schema without its migration).
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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
    // The previous release's database: every migration but the newest, deployed by Prisma from a
    // copy of the folder without it (one CLI run: a `migrate resolve` per migration took 5-12 s
    // each), with the demo data written into it.
    const all = readdirSync(MIGRATIONS).filter((name) => /^\d{14}_/.test(name)).sort();
    expect(all.length).toBeGreaterThan(1);
    const previousRelease = mkdtempSync(path.join(tmpdir(), "keyward-previous-migrations-"));
    cpSync(MIGRATIONS, previousRelease, { recursive: true });
    rmSync(path.join(previousRelease, all.at(-1)!), { recursive: true });
    const url = await newDatabase("upgrade");
    const previous = prismaCli(["migrate", "deploy"], url, { KEYWARD_MIGRATIONS_PATH: previousRelease });
    rmSync(previousRelease, { recursive: true });
    expect(previous.status, previous.output).toBe(0);
    const pending = prismaCli(["migrate", "status"], url);
    expect(pending.output).toContain(all.at(-1));
    // The demo data as the previous release held it: seeded by today's client into a scratch
    // database, then copied over column by column where the previous schema has the column
    // (today's client cannot write a schema that lacks one of its columns).
    const scratch = await newDatabase("upgrade_scratch");
    expect(prismaCli(["migrate", "deploy"], scratch).status).toBe(0);
    const seeder = createPrismaClient(scratch);
    clients.push(seeder);
    expect(await seedDemoData(seeder)).toEqual({ seeded: true });
    await copyRows(scratch, url);
    const before = await rows(url, "ApiKey");
    expect(before.length).toBeGreaterThan(0);

    const upgraded = prismaCli(["migrate", "deploy"], url);
    expect(upgraded.status, upgraded.output).toBe(0);
    expect(upgraded.output).toContain(all.at(-1));
    const status = prismaCli(["migrate", "status"], url);
    expect(status.output).toMatch(/Database schema is up to date/);
    const after = await rows(url, "ApiKey");
    expect(after.map((row) => Object.fromEntries(Object.keys(before[0]).map((column) => [column, row[column]])))).toEqual(before);
    const db = createPrismaClient(url);
    clients.push(db);
    expect(await db.apiKey.count()).toBe(before.length);
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

/** Every row of `table`, ordered by id. */
async function rows(url: string, table: string): Promise<Record<string, unknown>[]> {
  return withClient(url, async (c) => (await c.query(`SELECT * FROM "${table}" ORDER BY "id"`)).rows);
}

/** Copies every table's rows from `from` to `to`, in the columns `to` has (foreign keys off meanwhile). */
async function copyRows(from: string, to: string) {
  await withClient(from, (source) =>
    withClient(to, async (target) => {
      const columns = await target.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, ordinal_position`,
      );
      const tables = new Map<string, string[]>();
      for (const { table_name, column_name } of columns.rows) tables.set(table_name, [...(tables.get(table_name) ?? []), column_name]);
      await target.query("BEGIN");
      await target.query("SET LOCAL session_replication_role = replica");
      for (const [table, names] of tables) {
        const list = names.map((name) => `"${name}"`).join(", ");
        for (const row of (await source.query(`SELECT ${list} FROM "${table}"`)).rows) {
          await target.query(
            `INSERT INTO "${table}" (${list}) VALUES (${names.map((_, i) => `$${i + 1}`).join(", ")})`,
            names.map((name) => row[name]),
          );
        }
      }
      await target.query("COMMIT");
    }),
  );
}

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
