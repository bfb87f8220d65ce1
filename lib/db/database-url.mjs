// Plain JavaScript, so that scripts/prepare-db.mjs (plain node, before any build) reads
// DATABASE_URL exactly as the app does; lib/db/database-url.ts gives the app its types.
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/keyward.db";

/** DATABASE_URL with a relative SQLite path made absolute against `base` (the working directory). */
export function resolveDatabaseUrl(url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL, base = process.cwd()) {
  if (!url.startsWith("file:")) return url;
  const file = url.slice("file:".length);
  return "file:" + (path.isAbsolute(file) ? file : path.resolve(/*turbopackIgnore: true*/ base, file));
}

export function sqliteFilePath(url = resolveDatabaseUrl()) {
  return url.startsWith("file:") ? url.slice("file:".length) : null;
}

/** PostgreSQL when DATABASE_URL is a postgres:// or postgresql:// URL, otherwise SQLite. */
export function databaseProvider(url = resolveDatabaseUrl()) {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}
