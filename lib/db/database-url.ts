import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/keyward.db";

/** DATABASE_URL with a relative SQLite path made absolute against the working directory. */
export function resolveDatabaseUrl(url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): string {
  if (!url.startsWith("file:")) return url;
  const file = url.slice("file:".length);
  return "file:" + (path.isAbsolute(file) ? file : path.resolve(/*turbopackIgnore: true*/ process.cwd(), file));
}

export function sqliteFilePath(url = resolveDatabaseUrl()): string | null {
  return url.startsWith("file:") ? url.slice("file:".length) : null;
}

export type DatabaseProvider = "sqlite" | "postgresql";

/** PostgreSQL when DATABASE_URL is a postgres:// or postgresql:// URL, otherwise SQLite. */
export function databaseProvider(url = resolveDatabaseUrl()): DatabaseProvider {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}
