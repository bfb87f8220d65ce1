import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
// The CLI's schema engine reads catalog columns of PostgreSQL's `name` type, which
// @prisma/adapter-pg 6.19.3 cannot deserialize ("Column type 'name' could not be deserialized",
// prisma migrate deploy on an empty database). So the CLI, and only the CLI, gets the 7.x
// adapter under an npm alias; the application (lib/db/prisma.ts) runs the 6.19.3 adapter that
// matches @prisma/client 6.19.3. Nothing under lib/ or app/ may import this alias.
import { PrismaPg } from "@prisma/adapter-pg-cli";
import { databaseProvider, resolveDatabaseUrl, sqliteFilePath } from "./lib/db/database-url";

// Prisma's Rust engines cannot be downloaded on our machines: the CLI runs its schema engine
// as WebAssembly through a driver adapter (see ../shared/notes/toolchain.md). DATABASE_URL
// chooses the database: a postgres:// URL uses prisma/postgresql/, anything else SQLite.
const url = resolveDatabaseUrl();
const postgres = databaseProvider(url) === "postgresql";

export default defineConfig({
  schema: postgres ? path.join("prisma", "postgresql", "schema.prisma") : path.join("prisma", "schema.prisma"),
  // KEYWARD_MIGRATIONS_PATH: another folder of migrations, for tests/postgres/migrations.test.ts,
  // which deploys the previous release's migrations (all but the newest) from a copy.
  migrations: { path: process.env.KEYWARD_MIGRATIONS_PATH || (postgres ? path.join("prisma", "postgresql", "migrations") : path.join("prisma", "migrations")) },
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => {
    if (postgres) return new PrismaPg({ connectionString: url });
    const file = sqliteFilePath(url);
    // The adapter fails with an opaque "External error" when the folder does not exist.
    if (file) mkdirSync(path.dirname(file), { recursive: true });
    return new PrismaBetterSQLite3({ url, timeout: 10_000 });
  },
});
