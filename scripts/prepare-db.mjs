#!/usr/bin/env node
// Makes the database ready before Keyward starts: local secrets on first run, the SQLite file,
// every pending migration, and the demo data when the database is new. Running it again
// changes nothing: migrations already applied are skipped and the seed leaves data alone.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, appendFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import Database from "better-sqlite3";
import { runPrisma } from "./prisma.mjs";
import { compileServerIfTooled } from "./build-tools.mjs";
import { resolveDatabaseUrl } from "../lib/db/database-url.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const LOCAL_ENV = path.join(root, ".env.local");
const GENERATED = {
  NEXTAUTH_SECRET: () => randomBytes(32).toString("base64url"),
  KEYWARD_HASH_SECRET: () => randomBytes(32).toString("base64url"),
  KEYWARD_TOKEN_ENCRYPTION_KEY: () => randomBytes(32).toString("base64url"),
  KEYWARD_CONNECTION_KEK: () => randomBytes(32).toString("base64url"),
};

/** Secrets missing from the environment are generated once into .env.local (git-ignored). */
function ensureLocalSecrets() {
  const existing = existsSync(LOCAL_ENV) ? readFileSync(LOCAL_ENV, "utf8") : "";
  const missing = Object.keys(GENERATED).filter(
    (name) => !process.env[name] && !new RegExp(`^${name}=`, "m").test(existing),
  );
  if (missing.length === 0) return;
  if (process.env.KEYWARD_REQUIRE_SECRETS === "1") {
    console.error(`keyward: ${missing.join(", ")} must be set in the environment (KEYWARD_REQUIRE_SECRETS=1).`);
    process.exit(1);
  }
  const lines = missing.map((name) => `${name}=${GENERATED[name]()}`);
  // next-auth builds its callback URLs from this; the local default is the start command's port.
  if (!process.env.NEXTAUTH_URL && !/^NEXTAUTH_URL=/m.test(existing)) {
    lines.push(`NEXTAUTH_URL=http://localhost:${process.env.PORT || 3000}`);
  }
  appendFileSync(LOCAL_ENV, (existing && !existing.endsWith("\n") ? "\n" : "") + lines.join("\n") + "\n", {
    mode: 0o600,
  });
  console.log(`keyward: generated ${missing.join(", ")} into .env.local (kept out of git)`);
}

// The configuration (lib/config.ts) is checked before anything is written, .env files included.
// The configuration check and the seed are TypeScript shared with lib/, run compiled
// (dist/server/, scripts/build-server.mjs) so that a production install needs no tsx. With the
// build tools installed they are compiled afresh first (under a second), so that they never
// run stale code; a production install runs the ones its build shipped.
compileServerIfTooled();
const compiled = (name) => {
  const file = path.join(root, "dist", "server", `${name}.mjs`);
  if (existsSync(file)) return file;
  console.error(`keyward: ${path.relative(root, file)} is missing. Run \`npm run build\` (with the devDependencies installed) first.`);
  process.exit(1);
};

nextEnv.loadEnvConfig(root, false, { info() {}, error: console.error });
const checked = spawnSync(process.execPath, [compiled("check-config")], { stdio: "inherit" });
if (checked.status !== 0) process.exit(checked.status ?? 1);
ensureLocalSecrets();
nextEnv.loadEnvConfig(root, false, { info() {}, error: console.error }, true);
const databaseUrl = resolveDatabaseUrl(undefined, root);
process.env.DATABASE_URL = databaseUrl;

if (databaseUrl.startsWith("file:")) {
  const file = databaseUrl.slice("file:".length);
  mkdirSync(path.dirname(file), { recursive: true });
  // WAL lets readers work while a writer commits; the setting is stored in the file itself.
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.close();
}

runPrisma(["migrate", "deploy"], { DATABASE_URL: databaseUrl });

const seed = spawnSync(process.execPath, [compiled("seed")], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: databaseUrl },
});
if (seed.status !== 0) process.exit(seed.status ?? 1);
