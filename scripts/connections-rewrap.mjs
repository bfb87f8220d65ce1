#!/usr/bin/env node
// Runs the compiled re-wrap of connection credentials (scripts/rewrap-connections.ts) with the
// environment Keyward starts with (.env files included), compiling it first where the build
// tools are installed, like prepare-db.mjs does for its steps.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { compileServerIfTooled } from "./build-tools.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
nextEnv.loadEnvConfig(root, false, { info() {}, error: console.error });
compileServerIfTooled();
const file = path.join(root, "dist", "server", "rewrap-connections.mjs");
if (!existsSync(file)) {
  console.error("keyward: dist/server/rewrap-connections.mjs is missing. Run `npm run build` first.");
  process.exit(1);
}
const run = spawnSync(process.execPath, [file], { stdio: "inherit", env: process.env });
process.exit(run.status ?? 1);
