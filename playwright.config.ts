import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { BASE_URL, DIST_DIR, E2E_DB_FILE, SERVER_ENV, SERVER_LOG } from "./e2e/server-env.cjs";

const CI = !!process.env.CI;

// `npx playwright install` cannot download browsers on our machines: use Debian's Chromium
// when it is installed (apt-get install chromium), Playwright's own browser otherwise.
const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const launchOptions = existsSync(SYSTEM_CHROMIUM)
  ? {
      executablePath: SYSTEM_CHROMIUM,
      args: [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    }
  : {};

// Every server start begins with an empty database: remove the file and its WAL side files,
// then prepare-db.mjs migrates and seeds it, then the production server starts (the one
// `npm run serve` runs: Next.js behind node:http, see scripts/server.mjs). The production
// build in .next-e2e comes from `next build` (scripts/test.mjs runs it first).
const RESET_DB = [
  "node -e \"",
  "const fs = require('node:fs');",
  `if (!fs.existsSync('${DIST_DIR}/BUILD_ID')) {`,
  `console.error('No e2e build in ${DIST_DIR}: run npm test, or KEYWARD_DIST_DIR=${DIST_DIR} npx next build first.');`,
  "process.exit(1); }",
  `for (const s of ['', '-wal', '-shm', '-journal']) fs.rmSync('${E2E_DB_FILE}' + s, { force: true });`,
  "\"",
].join(" ");

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  forbidOnly: CI,
  // Tests must be deterministic: a retry would only hide a flaky test.
  retries: 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  reporter: [["list"], ["./e2e/summary-reporter.ts"]],
  use: {
    baseURL: BASE_URL,
    // With retries: 0, "on-first-retry" would record nothing: keep the trace of every failure.
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions,
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], launchOptions },
      dependencies: ["setup"],
    },
  ],
  webServer: {
    // The server's output also goes to SERVER_LOG, which the global teardown scans for secrets.
    command: `${RESET_DB} && mkdir -p data && : > ${SERVER_LOG} && node scripts/prepare-db.mjs && node scripts/server.mjs 2>&1 | tee -a ${SERVER_LOG}`,
    url: `${BASE_URL}/sign-in`,
    env: SERVER_ENV,
    reuseExistingServer: !CI,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
