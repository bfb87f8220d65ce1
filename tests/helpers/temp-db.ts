// Temporary SQLite databases for tests: each one in its own folder under the OS temp dir,
// migrated with the same migration files `prisma migrate deploy` applies.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

export const ROOT = path.resolve(__dirname, "..", "..");
const MIGRATIONS = path.join(ROOT, "prisma", "migrations");

export type TempDb = { dir: string; file: string; url: string; cleanup: () => void };

/** A fresh, empty folder with the path of a (not yet created) database file in it. */
export function tempDbPath(label = "keyward-test"): TempDb {
  const dir = mkdtempSync(path.join(tmpdir(), `${label}-`));
  const file = path.join(dir, "test.db");
  return { dir, file, url: `file:${file}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Applies every migration.sql in prisma/migrations, in folder order (as migrate deploy does). */
export function applyMigrations(file: string): void {
  const sqlite = new Database(file);
  try {
    sqlite.pragma("journal_mode = WAL");
    const folders = readdirSync(MIGRATIONS)
      .filter((name) => statSync(path.join(MIGRATIONS, name)).isDirectory())
      .sort();
    for (const folder of folders) {
      sqlite.exec(readFileSync(path.join(MIGRATIONS, folder, "migration.sql"), "utf8"));
    }
  } finally {
    sqlite.close();
  }
}

export function migratedTempDb(label?: string): TempDb {
  const db = tempDbPath(label);
  applyMigrations(db.file);
  return db;
}

/** Row counts of every application table, read with better-sqlite3 (no Prisma involved). */
export const TABLES = [
  "Tenant",
  "User",
  "Membership",
  "AuthorizationGroup",
  "ApiKey",
  "ApiKeyUsageDaily",
  "AuditEvent",
  "LoginAttempt",
  "Session",
  "Connection",
] as const;

export function countRows(file: string): Record<(typeof TABLES)[number], number> {
  const sqlite = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      TABLES.map((table) => [table, (sqlite.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n]),
    ) as Record<(typeof TABLES)[number], number>;
  } finally {
    sqlite.close();
  }
}
