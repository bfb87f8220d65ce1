// Whether this install has Keyward's build tools (the devDependencies), which a production
// install (`npm ci --omit=dev`) leaves out: `npm start` builds only where it can, and serves
// the build shipped with the app where it cannot (scripts/start.mjs).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

export function hasBuildTools() {
  try {
    // esbuild (it compiles dist/server/) stands for the devDependencies. Not typescript: Prisma
    // declares it as a peer, so npm installs it in production too.
    require.resolve("esbuild");
    return true;
  } catch {
    return false;
  }
}

/** Compiles dist/server/ (scripts/build-server.mjs) when the tools are here; else leaves it. */
export function compileServerIfTooled() {
  if (!hasBuildTools()) return;
  const built = spawnSync(process.execPath, [path.join(root, "scripts", "build-server.mjs"), "--quiet"], {
    stdio: "inherit",
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
