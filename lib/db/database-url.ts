// The implementation is plain JavaScript (database-url.mjs), shared with scripts/prepare-db.mjs.
export { DEFAULT_DATABASE_URL, databaseProvider, resolveDatabaseUrl, sqliteFilePath } from "./database-url.mjs";

export type DatabaseProvider = "sqlite" | "postgresql";
