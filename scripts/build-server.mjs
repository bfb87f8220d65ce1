#!/usr/bin/env node
// Compiles Keyward's node:http entry points (server/*.ts, sharing lib/ with the app) into
// dist/server/*.mjs with esbuild, so that production runs plain node (no tsx). Packages stay in
// node_modules (external); lib/ and the generated Prisma client are bundled.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

await build({
  absWorkingDir: root,
  entryPoints: { "app-entry": "server/app-entry.ts", verifier: "server/verifier.ts" },
  outdir: "dist/server",
  outExtension: { ".js": ".mjs" },
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
});
console.log("keyward: built dist/server/app-entry.mjs and dist/server/verifier.mjs");
