import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { BASE_URL, E2E_DB_FILE, PORT, SERVER_ENV } from "./e2e/server-env.cjs";

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
// then prepare-db.mjs migrates and seeds it. The production build comes from `next build`
// (scripts/test.mjs runs it first).
const RESET_DB = `node -e "for (const s of ['', '-wal', '-shm', '-journal']) require('node:fs').rmSync('${E2E_DB_FILE}' + s, { force: true })"`;

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
  reporter: [["list"], ["./e2e/summary-reporter.ts"]],
  use: {
    baseURL: BASE_URL,
    trace: "on-first-retry",
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
    command: `${RESET_DB} && node scripts/prepare-db.mjs && npx next start -p ${PORT}`,
    url: `${BASE_URL}/sign-in`,
    env: SERVER_ENV,
    reuseExistingServer: !CI,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
