// Before the browser suite: compile the test data factory (tests/factory.ts and the Prisma client
// it writes through) into dist/e2e/factory.mjs, which the fixtures load (e2e/fixtures/db.ts).
// Every run, so that it is never older than the source; it takes about a second.
import { spawnSync } from "node:child_process";
import path from "node:path";

export default function globalSetup() {
  const root = path.resolve(__dirname, "..");
  const built = spawnSync(process.execPath, [path.join(root, "scripts", "build-server.mjs"), "--e2e-factory", "--quiet"], {
    cwd: root,
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error(`building the e2e data factory failed (exit ${built.status})`);
}
