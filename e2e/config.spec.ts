// A configuration typo stops the production server (scripts/server.mjs, as `npm run serve` and
// `npm start` run it) before it serves anything, with the variable and what it expects.
// Every variable's rules are lib/config.test.ts; this is the start itself.
import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { SERVER_ENV } from "./server-env.cjs";

const ROOT = path.resolve(__dirname, "..");

function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts", "server.mjs")], {
      cwd: ROOT,
      // A port nobody listens on: the server must never get as far as listening.
      env: { ...process.env, ...SERVER_ENV, PORT: "3999", ...env },
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk;
      // Started after all (the check is broken): stop it rather than leave it running.
      if (output.includes("ready on")) child.kill("SIGKILL");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test("the server refuses to start on a bad value, naming the variable and what it expects", async () => {
  test.setTimeout(60_000);
  const { code, output } = await start({ KEYWARD_KEY_CACHE_TTL_MS: "5s", KEYWARD_LOGIN_MAX_PER_ACCOUNT: "ten" });
  expect(code).toBe(1);
  expect(output).toContain("keyward: invalid configuration, not starting");
  expect(output).toContain('KEYWARD_KEY_CACHE_TTL_MS="5s": expected milliseconds: a whole number of at least 0');
  expect(output).toContain('KEYWARD_LOGIN_MAX_PER_ACCOUNT="ten": expected failed sign-ins: a whole number of at least 1');
  expect(output).not.toContain("ready on");
});

test("the server refuses to start without the connection KEK, as without the hash secret", async () => {
  test.setTimeout(60_000);
  const { code, output } = await start({ KEYWARD_CONNECTION_KEK: "" });
  expect(code).toBe(1);
  expect(output).toContain("keyward: KEYWARD_CONNECTION_KEK is missing or shorter than 32 characters");
  expect(output).not.toContain("ready on");
});
