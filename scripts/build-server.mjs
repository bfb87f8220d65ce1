#!/usr/bin/env node
// Compiles Keyward's node:http entry points (server/*.ts, sharing lib/ with the app) and the two
// TypeScript steps of scripts/prepare-db.mjs (the configuration check and the seed) into
// dist/server/*.mjs with esbuild, so that production runs plain node: no tsx, no devDependency
// at run time (`npm ci --omit=dev`, checked by scripts/production-install.mjs). Packages stay in
// node_modules (external, so each must be a dependency); lib/ and the generated Prisma client
// are bundled.
//
// With --e2e-factory it compiles the test data factory (tests/factory.ts, with the Prisma client
// it writes through) into dist/e2e/factory.mjs instead, for the browser tests' fixtures
// (e2e/fixtures/db.ts): Playwright's loader cannot load the generated ESM client from source.
// Nothing ships it: a production install copies dist/server/ only.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const e2eFactory = process.argv.includes("--e2e-factory");
const entries = e2eFactory
  ? {
      stdin: {
        contents: `export * from "./tests/factory.ts"; export { createPrismaClient } from "./lib/db/prisma.ts";`,
        resolveDir: root,
        loader: "ts",
      },
      outfile: "dist/e2e/factory.mjs",
    }
  : {
      entryPoints: {
        "app-entry": "server/app-entry.ts",
        verifier: "server/verifier.ts",
        "check-config": "scripts/check-config.ts",
        seed: "scripts/seed.ts",
        "rewrap-connections": "scripts/rewrap-connections.ts",
      },
      outdir: "dist/server",
      outExtension: { ".js": ".mjs" },
      // Code reached only through import() (signed tokens: Prisma and jose; Redis) goes into
      // chunks of its own, loaded on first use: `npm run verifier` on keys alone never loads
      // them (its RSS).
      splitting: true,
      chunkNames: "chunks/[name]-[hash]",
    };

const result = await build({
  absWorkingDir: root,
  ...entries,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  alias: { "@": root, "server-only": path.join(root, "tests", "empty-module.ts") },
  // ESM output still meets CommonJS-style code in lib/generated (require, __dirname).
  banner: {
    js: "import { createRequire as __keywardRequire } from 'node:module'; import { fileURLToPath as __keywardFileUrl } from 'node:url'; const require = __keywardRequire(import.meta.url); const __filename = __keywardFileUrl(import.meta.url); const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
  },
  logLevel: "warning",
  write: false,
});
// Each file is written whole, then renamed into place: prepare-db.mjs recompiles at every start,
// and another process (a test's server, a second start) may be loading the same files.
for (const file of result.outputFiles) {
  mkdirSync(path.dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
if (!process.argv.includes("--quiet")) {
  console.log(e2eFactory ? "keyward: built dist/e2e/factory.mjs" : "keyward: built dist/server/ (app-entry, verifier, check-config, seed, rewrap-connections)");
}
