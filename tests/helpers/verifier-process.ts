// Runs Keyward's standalone verifier (`npm run verifier`: dist/server/verifier.mjs, built here
// with scripts/build-server.mjs) as a separate process on a test database.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./temp-db";

// The node flags of package.json's `verifier` script (its heap settings), so that the tests run
// the verifier as `npm run verifier` does.
function verifierNodeFlags(): string[] {
  const script: string = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.verifier;
  return script.split(/\s+/).filter((word) => word.startsWith("--"));
}

let built = false;

export function buildServer(): void {
  if (built) return;
  const result = spawnSync(process.execPath, ["scripts/build-server.mjs"], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`scripts/build-server.mjs failed:\n${result.stderr}${result.stdout}`);
  built = true;
}

export type VerifierProcess = { url: string; port: number; child: ChildProcess; stop: () => Promise<void>; output: () => string };

export async function startVerifier(databaseUrl: string, port: number, env: Record<string, string> = {}): Promise<VerifierProcess> {
  buildServer();
  const child = spawn(process.execPath, [...verifierNodeFlags(), path.join(ROOT, "dist", "server", "verifier.mjs")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      KEYWARD_HASH_SECRET: process.env.KEYWARD_HASH_SECRET ?? "",
      KEYWARD_VERIFIER_PORT: String(port),
      KEYWARD_BIND: "127.0.0.1",
      KEYWARD_USAGE_FLUSH_MS: "500",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (output.includes("keyward-verifier: ready")) {
        child.stdout!.off("data", onData);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`verifier exited with ${code}:\n${output}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  return { url: `http://127.0.0.1:${port}`, port, child, stop, output: () => output };
}
