#!/usr/bin/env node
// `npm start`: prepare the database (scripts/prepare-db.mjs), build, serve (scripts/server.mjs).
// A production install (`npm ci --omit=dev`) has no build tools: it serves the build that came
// with the app (built where the devDependencies are, e.g. CI or an image's build stage) and
// says so when there is none, rather than failing half-way through `next build`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { hasBuildTools } from "./build-tools.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const distDir = process.env.KEYWARD_DIST_DIR || ".next";

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run([path.join(root, "scripts", "prepare-db.mjs")]);
if (hasBuildTools()) {
  run([path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"]);
  run([path.join(root, "scripts", "build-server.mjs")]);
} else if (!existsSync(path.join(root, distDir, "BUILD_ID")) || !existsSync(path.join(root, "dist", "server", "app-entry.mjs"))) {
  console.error(
    `keyward: no build in ${distDir}/ and dist/server/, and this install has no build tools (npm ci --omit=dev). ` +
      "Run `npm run build` where the devDependencies are installed and ship its output with the app.",
  );
  process.exit(1);
} else {
  console.log(`keyward: production install, serving the build in ${distDir}/`);
}
// The server does this process's job: a stop signal goes on to it (it flushes usage first) and
// its exit code is the service's.
const server = spawn(process.execPath, [path.join(root, "scripts", "server.mjs")], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
