#!/usr/bin/env node
// Checks that a production install runs: the app's files and its build are copied into an
// empty folder, `npm ci --omit=dev` installs the dependencies alone (no tsx, no Prisma CLI or
// @next/env borrowed from devDependencies), then `npm start` must migrate and seed a new SQLite
// database and serve /v1/health and the sign-in page. Run by `npm test` after the build
// (scripts/test.mjs); alone: `node scripts/production-install.mjs` after `npm run build` (or with
// KEYWARD_DIST_DIR naming another build folder).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const distDir = process.env.KEYWARD_DIST_DIR || ".next";
const START_TIMEOUT_MS = 120_000;

function sourceFiles() {
  // The files a clone has (a release tarball holds the same); never the developer's .env.local,
  // data/ or node_modules.
  return execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter((file) => file && existsSync(path.join(root, file)));
}

function copyApp(target) {
  for (const file of sourceFiles()) {
    mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    cpSync(path.join(root, file), path.join(target, file));
  }
  // The build output, made where the devDependencies are: Next.js's build (without its cache)
  // and the compiled server (scripts/build-server.mjs).
  for (const built of [distDir, path.join("dist", "server")]) {
    if (!existsSync(path.join(root, built))) throw new Error(`${built}/ is missing: build first (npm run build).`);
    cpSync(path.join(root, built), path.join(target, built), {
      recursive: true,
      filter: (source) => path.relative(path.join(root, distDir), source) !== "cache",
    });
  }
}

/** better-sqlite3's binding, offered to its installer as a local prebuild. */
function offerSqliteBinding(target) {
  // better-sqlite3 compiles from source when its prebuilt download fails, as it does on
  // machines without GitHub: 80-140 s on two cores. Its installer (prebuild-install) first looks
  // for `<name>-v<version>-node-v<abi>-<platform>-<arch>.tar.gz` in a local folder: the binding
  // this checkout already compiled, for the same version and Node.js ABI. The install script
  // still has to run (package.json's allowScripts), which is part of what is checked here.
  const pkgDir = path.join(root, "node_modules", "better-sqlite3");
  const binding = path.join(pkgDir, "build", "Release", "better_sqlite3.node");
  if (!existsSync(binding)) return {};
  const { version } = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const folder = path.join(target, ".prebuilds");
  mkdirSync(folder);
  const tarball = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync("tar", ["-czf", path.join(folder, tarball), "-C", pkgDir, "build/Release/better_sqlite3.node"]);
  return { npm_config_better_sqlite3_local_prebuilds: folder };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A shell's environment: nothing inherited from the npm or test run that started this. */
function cleanEnv(extra) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|NODE_OPTIONS$|NODE_PATH$|VITE|VITEST|KEYWARD_|DATABASE_URL$|NEXTAUTH_)/.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

async function answers(url) {
  try {
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
    return response.status;
  } catch {
    return null;
  }
}

async function main() {
  const started = Date.now();
  const target = mkdtempSync(path.join(os.tmpdir(), "keyward-production-"));
  let server;
  let log = "";
  try {
    copyApp(target);
    const install = spawnSync("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"], {
      cwd: target,
      env: cleanEnv(offerSqliteBinding(target)),
      encoding: "utf8",
    });
    if (install.status !== 0) throw new Error(`npm ci --omit=dev failed:\n${install.stdout}\n${install.stderr}`);
    for (const devOnly of ["tsx", "esbuild", "vitest", "eslint"]) {
      if (existsSync(path.join(target, "node_modules", devOnly))) throw new Error(`${devOnly} was installed: not a production install`);
    }
    console.log(`production install: npm ci --omit=dev in ${((Date.now() - started) / 1000).toFixed(1)}s`);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = spawn("npm", ["start"], {
      cwd: target,
      detached: true, // its own process group, so that the check stops npm, node and the server
      env: cleanEnv({
        PORT: String(port),
        KEYWARD_BIND: "127.0.0.1",
        KEYWARD_DIST_DIR: distDir,
        DATABASE_URL: "file:./data/production-check.db",
        NEXTAUTH_URL: base,
        NEXTAUTH_SECRET: "production-check-nextauth-secret-0123456789abcdef",
        KEYWARD_HASH_SECRET: "production-check-hash-secret-0123456789abcdefgh",
        KEYWARD_TOKEN_ENCRYPTION_KEY: "production-check-token-key-0123456789abcdefghij",
        KEYWARD_CONNECTION_KEK: "production-check-connection-kek-0123456789abcdef",
        KEYWARD_REQUIRE_SECRETS: "1",
      }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout.on("data", (chunk) => (log += chunk));
    server.stderr.on("data", (chunk) => (log += chunk));
    let exited = null;
    server.on("exit", (code) => (exited = code));

    const deadline = Date.now() + START_TIMEOUT_MS;
    const pending = new Map([
      ["/v1/health", null],
      ["/sign-in", null],
    ]);
    while ([...pending.values()].some((status) => status !== 200)) {
      if (exited !== null) throw new Error(`npm start exited with code ${exited}`);
      if (Date.now() > deadline) throw new Error(`no 200 within ${START_TIMEOUT_MS / 1000}s: ${JSON.stringify([...pending])}`);
      for (const url of pending.keys()) pending.set(url, await answers(base + url));
      await new Promise((resolve) => setTimeout(resolve, 250)); // polling interval, not a wait for time to pass
    }
    if (/cannot find (module|package)|ERR_MODULE_NOT_FOUND/i.test(log)) throw new Error("the server could not load a module");
    console.log(`production install: /v1/health and /sign-in answered 200; ${((Date.now() - started) / 1000).toFixed(1)}s in all`);
  } catch (error) {
    console.error(`production install: FAILED: ${error.message}`);
    if (log) console.error(`--- npm start output ---\n${log}`);
    process.exitCode = 1;
  } finally {
    if (server && server.exitCode === null) {
      const stopped = new Promise((resolve) => server.once("exit", resolve));
      process.kill(-server.pid, "SIGTERM");
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (server.exitCode === null) process.kill(-server.pid, "SIGKILL");
    }
    rmSync(target, { recursive: true, force: true });
  }
}

await main();
