import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// The PostgreSQL phase of `npm test` (scripts/test.mjs): tests that need PostgreSQL itself.
// KEYWARD_TEST_POSTGRES_URL (an admin connection) is set by scripts/test.mjs.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["tests/postgres/**/*.test.ts"],
    exclude: ["node_modules/**"],
    // One file at a time: the instances test starts servers, the limit test two workers.
    fileParallelism: false,
  },
});
