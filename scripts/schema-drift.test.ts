// The two drift checks the schema files promise: prisma/postgresql/schema.prisma is the one
// scripts/pg-schema.mjs derives from prisma/schema.prisma, and SQLite's migrations build exactly
// the models' tables (PostgreSQL's counterpart is in tests/postgres/migrations.test.ts).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SOURCE, TARGET, postgresSchema } from "./pg-schema.mjs";
import { runPrisma } from "./prisma.mjs";

const root = path.resolve(__dirname, "..");
const MIGRATIONS = path.join(root, "prisma", "migrations");

describe("schema drift", () => {
  it("prisma/postgresql/schema.prisma is current (run npm run db:schema after editing the models)", () => {
    expect(readFileSync(TARGET, "utf8")).toBe(postgresSchema(readFileSync(SOURCE, "utf8")));
  });

  it("SQLite's migrations build exactly the models' tables and indexes (a model change without a migration fails here)", () => {
    const migrated = new Database(":memory:");
    const names = readdirSync(MIGRATIONS).filter((name) => /^\d{14}_/.test(name)).sort();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) migrated.exec(readFileSync(path.join(MIGRATIONS, name, "migration.sql"), "utf8"));

    const diff = runPrisma(["migrate", "diff", "--from-empty", "--to-schema-datamodel", SOURCE, "--script"], {}, { stdio: "pipe" });
    const fromModels = new Database(":memory:");
    fromModels.exec(diff.stdout);

    expect(catalog(migrated)).toEqual(catalog(fromModels));
  }, 60_000);
});

/** Every table's columns (type, nullability, default, key) and every index's columns and uniqueness. */
function catalog(db: Database.Database) {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name")
    .pluck()
    .all() as string[];
  return tables.map((table) => ({
    table,
    // By name, without the column number: a column added by ALTER TABLE comes last in the file,
    // where the models' CREATE TABLE puts it in the model's order, and SQLite does not care.
    columns: (db.prepare(`PRAGMA table_info("${table}")`).all() as { cid?: number; name: string }[])
      .map(({ cid: _cid, ...column }) => column)
      .sort((a, b) => a.name.localeCompare(b.name)),
    // By column, without SQLite's number: a foreign key added with ALTER TABLE ADD COLUMN (kept
    // instead of a table rebuild that would drop other migrations' columns) is numbered first.
    foreignKeys: (db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { id?: number; from: string }[])
      .map(({ id: _id, ...fk }) => fk)
      .sort((a, b) => a.from.localeCompare(b.from)),
    indexes: (db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string }[])
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((index) => ({
        name: index.name,
        unique: index.unique,
        columns: (db.prepare(`PRAGMA index_info("${index.name}")`).all() as { cid?: number }[]).map(({ cid: _cid, ...column }) => column),
      })),
  }));
}
