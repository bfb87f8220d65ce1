import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { resolveDatabaseUrl, sqliteFilePath } from "./lib/db/database-url";

// Prisma's Rust engines cannot be downloaded on our machines: the CLI runs its schema engine
// as WebAssembly through this driver adapter (see ../shared/notes/toolchain.md).
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => {
    const url = resolveDatabaseUrl();
    const file = sqliteFilePath(url);
    // The adapter fails with an opaque "External error" when the folder does not exist.
    if (file) mkdirSync(path.dirname(file), { recursive: true });
    return new PrismaBetterSQLite3({ url, timeout: 10_000 });
  },
});
