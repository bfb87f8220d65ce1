import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// The PostgreSQL phase of `npm test` (scripts/test.mjs): the whole suite a second time, on
// PostgreSQL, plus the tests that need PostgreSQL itself (tests/postgres/).
// KEYWARD_TEST_POSTGRES_URL (an admin connection) is set by scripts/test.mjs.
//
// With KEYWARD_TEST_DATABASE=postgresql, tests/db.ts gives every test its own PostgreSQL
// database (a copy of a migrated and seeded template) instead of a SQLite file. The pure unit
// tests run again too: they take about two seconds, and a new test file that touches the
// database is then on both providers without anyone having to remember to list it here.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [...(base.test?.include ?? []), "tests/postgres/**/*.test.ts"],
    exclude: [
      "node_modules/**",
      "e2e/**",
      ".next/**",
      ".next-e2e/**",
      "lib/generated/**",
      // SQLite-only, on purpose (their PostgreSQL counterparts are in tests/postgres/):
      // several processes writing one SQLite file (busy timeout, SQLITE_BUSY at COMMIT); the
      // PostgreSQL version of this race is tests/postgres/concurrency.test.ts.
      "lib/api-keys/concurrency.test.ts",
      // prepare-db on a SQLite file: creates the file, WAL journal mode, reads it with
      // better-sqlite3; PostgreSQL's migrate-and-seed is tests/postgres/migrations.test.ts.
      "scripts/prepare-db.test.ts",
      // Another process holding the SQLite file's exclusive lock (better-sqlite3), and WAL
      // readers; PostgreSQL's outage is tests/postgres/faults.test.ts (a TCP proxy cut off).
      "lib/verify/faults.test.ts",
      // SQLITE_BUSY at COMMIT in rollback-journal mode (the SQLite adapter's own recovery).
      "lib/db/sqlite-commit.test.ts",
      // SQLite's key change counter (triggers, PRAGMA data_version); PostgreSQL's instances hear
      // changes on the key change bus (tests/verifier.test.ts, tests/postgres/).
      "tests/key-change-counter.test.ts",
    ],
    env: { ...base.test?.env, KEYWARD_TEST_DATABASE: "postgresql" },
    // One file at a time: the instances test starts servers, the limit test two workers.
    fileParallelism: false,
  },
});
