#!/usr/bin/env node
// `npm test`: the one test command (README). Unit and integration tests (vitest), then the
// browser tests (Playwright) against a production build on a fresh SQLite database; between the
// two, the same build in a production install (scripts/production-install.mjs).
//
//   npm test                 everything
//   npm test -- --unit       vitest only
//   npm test -- --e2e        build + Playwright only
//
// Then the same again on PostgreSQL: the PostgreSQL vitest config (tests/postgres/ and the
// integration tests on PostgreSQL databases) and Playwright against the same build with a fresh
// PostgreSQL database. PostgreSQL comes from KEYWARD_TEST_POSTGRES_URL (an admin connection) or
// the machine's own cluster (scripts/postgres.mjs); without either the phase fails.
//
//   npm test -- --sqlite     only the SQLite phase
//
// Exits non-zero when any step fails. A failing vitest run does not stop the e2e steps (one
// run shows every failure); a failing build does skip Playwright.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { E2E_DB_FILE, SERVER_ENV } = require("../e2e/server-env.cjs");

const args = process.argv.slice(2);
const only = args.includes("--unit") ? "unit" : args.includes("--e2e") ? "e2e" : null;
const withPostgres = !args.includes("--sqlite");

const bin = (name) => path.join(root, "node_modules", ".bin", process.platform === "win32" ? `${name}.cmd` : name);
const results = [];

function step(title, command, commandArgs, env = {}) {
  const shown = [env.DATABASE_URL ? `DATABASE_URL=${env.DATABASE_URL}` : "", path.basename(command), ...commandArgs]
    .filter(Boolean)
    .join(" ");
  console.log(`\n=== ${title}: ${shown}`);
  const started = Date.now();
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: "true", ...env },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  const why = result.error ? result.error.message : result.signal ? `signal ${result.signal}` : `exit code ${result.status}`;
  console.log(`=== ${title}: ${ok ? "passed" : `FAILED (${why})`} in ${seconds}s`);
  results.push({ title, ok, seconds });
  return ok;
}

if (only !== "e2e") {
  // ESLint (eslint.config.mjs: Next.js's and typescript-eslint's recommended rules); no warning allowed.
  step("lint", bin("eslint"), [".", "--max-warnings", "0"]);
  step("unit and integration tests", bin("vitest"), ["run"]);
}

if (only !== "unit") {
  console.log(`\n=== fresh e2e database: removing ${E2E_DB_FILE}*`);
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path.join(root, E2E_DB_FILE + suffix), { force: true });

  // The build reads no database; it gets the e2e environment so that nothing falls back to
  // .env.local, which a fresh clone does not have.
  const built =
    step("production build", bin("next"), ["build"], SERVER_ENV) &&
    step("server build", process.execPath, ["scripts/build-server.mjs"], SERVER_ENV);
  if (built) {
    // The same build, copied into an empty folder with `npm ci --omit=dev`, must start and serve.
    step("production install", process.execPath, ["scripts/production-install.mjs"], { KEYWARD_DIST_DIR: SERVER_ENV.KEYWARD_DIST_DIR });
    step("browser tests", bin("playwright"), ["test"]);
  } else {
    console.log("\n=== browser tests: skipped, the build failed");
    results.push({ title: "browser tests", ok: false, seconds: "0.0", skipped: true });
  }
}

if (withPostgres) {
  const { ensurePostgres, freshDatabase } = await import("./postgres.mjs");
  const postgres = ensurePostgres();
  if (!postgres.url) {
    console.log(`\n=== PostgreSQL phase: NOT RUN, ${postgres.reason}`);
    results.push({ title: `PostgreSQL phase (${postgres.reason})`, ok: false, seconds: "0.0" });
  } else {
    const pgEnv = { KEYWARD_TEST_POSTGRES_URL: postgres.url, KEYWARD_TEST_DATABASE: "postgresql" };
    if (only !== "e2e") {
      step("PostgreSQL: unit and integration tests", bin("vitest"), ["run", "-c", "vitest.postgres.config.ts"], pgEnv);
    }
    const built = results.find((r) => r.title === "production build");
    if (only !== "unit" && built?.ok) {
      const e2eUrl = await freshDatabase(postgres.url, process.env.KEYWARD_E2E_PG_DATABASE || "keyward_e2e");
      step("PostgreSQL: browser tests", bin("playwright"), ["test"], { ...pgEnv, KEYWARD_E2E_DATABASE_URL: e2eUrl });
    }
  }
}

console.log("\n=== summary");
for (const r of results) console.log(`  ${r.ok ? "passed" : r.skipped ? "skipped" : "FAILED"}  ${r.title} (${r.seconds}s)`);
const failed = results.filter((r) => !r.ok);
console.log(failed.length === 0 ? "All test steps passed." : `${failed.length} test step(s) failed.`);
process.exit(failed.length === 0 ? 0 : 1);
