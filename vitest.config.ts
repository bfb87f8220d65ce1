import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^server-only$/, replacement: path.join(root, "tests", "empty-module.ts") },
      { find: /^@\//, replacement: root + "/" },
    ],
  },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts"],
    // tests/postgres/ runs in the PostgreSQL phase (vitest.postgres.config.ts).
    exclude: ["node_modules/**", "e2e/**", ".next/**", "lib/generated/**", "tests/postgres/**"],
    env: {
      // Fixed test secrets (>= 32 characters): tests never read or need .env.local.
      KEYWARD_HASH_SECRET: "test-hash-secret-0123456789abcdefghijklmnopqrstuvwxyz",
      NEXTAUTH_SECRET: "test-nextauth-secret-0123456789abcdefghijklmnopqrstuvwxyz",
      KEYWARD_TOKEN_ENCRYPTION_KEY: "test-token-encryption-key-0123456789abcdefghijklmnop",
      KEYWARD_CONNECTION_KEK: "test-connection-kek-0123456789abcdefghijklmnopqrstuv",
      KEYWARD_CONNECTION_TEST_NETWORKS: "127.0.0.0/8,::1/128",
    },
    // Scrypt, migrations and child processes: the database tests need more than the 5 s default.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
