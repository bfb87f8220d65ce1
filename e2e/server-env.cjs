// The environment of the production server the e2e suite runs against. Shared by
// playwright.config.ts (webServer) and scripts/test.mjs (next build), so neither depends on
// .env.local: fixed test secrets, a separate SQLite file that every run starts afresh, and a
// separate build folder (next.config.ts reads KEYWARD_DIST_DIR) so that the test build never
// replaces the .next a running `npm start` is serving.
// KEYWARD_E2E_PORT lets several checkouts run their suites side by side on one machine.
const PORT = Number(process.env.KEYWARD_E2E_PORT || 3100);

module.exports = {
  PORT,
  BASE_URL: `http://localhost:${PORT}`,
  E2E_DB_FILE: "data/e2e.db",
  // Everything the e2e server prints, scanned for secrets by e2e/global-teardown.ts.
  SERVER_LOG: "data/e2e-server.log",
  DIST_DIR: ".next-e2e",
  SERVER_ENV: {
    PORT: String(PORT),
    KEYWARD_DIST_DIR: ".next-e2e",
    // scripts/test.mjs sets KEYWARD_E2E_DATABASE_URL to a fresh PostgreSQL database for the
    // suite's second run; otherwise the SQLite file below.
    DATABASE_URL: process.env.KEYWARD_E2E_DATABASE_URL || "file:./data/e2e.db",
    NEXTAUTH_URL: `http://localhost:${PORT}`,
    NEXTAUTH_SECRET: "e2e-only-nextauth-secret-not-for-production-0123456789",
    KEYWARD_HASH_SECRET: "e2e-only-hash-secret-not-for-production-0123456789ab",
    KEYWARD_TOKEN_ENCRYPTION_KEY: "e2e-only-token-encryption-key-not-for-production-01",
    KEYWARD_CONNECTION_KEK: "e2e-only-connection-kek-not-for-production-0123456789",
    // A connection Test may reach loopback only: the suite's own PostgreSQL and HTTP servers.
    KEYWARD_CONNECTION_TEST_NETWORKS: "127.0.0.0/8,::1/128",
    // prepare-db.mjs must fail rather than write generated secrets into .env.local.
    KEYWARD_REQUIRE_SECRETS: "1",
    // The API tests simulate client addresses with X-Forwarded-For sent through 127.0.0.1; requests to [::1] come from an untrusted peer.
    TRUSTED_PROXIES: "127.0.0.1",
    // Last used is written within a second, so the API tests can wait for it.
    KEYWARD_USAGE_FLUSH_MS: "1000",
    // The API tests reach the failed-attempts throttle after 10 bad keys from one address.
    KEYWARD_AUTH_FAILURE_LIMIT: "10",
    // The throttle's window: 60 s, so a throttled address stays throttled for the whole test.
    KEYWARD_AUTH_FAILURE_WINDOW_MS: "60000",
    // Sign-in: failures spread over many addresses lock an account after 12 (50 in production),
    // so that e2e/security/sign-in-throttle.spec.ts reaches the limit quickly.
    KEYWARD_LOGIN_MAX_PER_ACCOUNT: "12",
    // The key cache's TTL as in production (5 s): revoke and rotate must not wait for it.
    KEYWARD_KEY_CACHE_TTL_MS: "5000",
  },
};
