#!/usr/bin/env node
// Runs the Prisma CLI with its engine downloads disabled: Keyward uses the WebAssembly engines
// (prisma.config.ts), and these machines cannot reach Prisma's binary host.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export function prismaEnv(extra = {}) {
  const self = fileURLToPath(import.meta.url);
  return {
    ...process.env,
    PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY || self,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || self,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
    ...extra,
  };
}

export function runPrisma(args, extraEnv = {}, options = {}) {
  const require = createRequire(import.meta.url);
  const cli = require.resolve("prisma/build/index.js");
  const result = spawnSync(process.execPath, [cli, ...args], {
    stdio: options.stdio ?? "inherit",
    env: prismaEnv(extraEnv),
    encoding: "utf8",
  });
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`prisma ${args.join(" ")} failed with exit code ${result.status}\n${result.stderr ?? ""}`);
  }
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = runPrisma(process.argv.slice(2), {}, { allowFailure: true });
  process.exit(result.status ?? 1);
}
