// A redis-server of the test's own on loopback (Debian's redis-server; .ci/run installs it),
// no persistence, stopped by its PID. Restartable on the same port for outage tests.
import { spawn, type ChildProcess } from "node:child_process";

export type RedisProcess = { url: string; port: number; start: () => Promise<void>; stop: () => Promise<void> };

export function redisServer(port: number): RedisProcess {
  let child: ChildProcess | null = null;
  const start = async () => {
    const proc = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    let output = "";
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on("data", (chunk) => {
        output += chunk;
        if (output.includes("Ready to accept connections")) resolve();
      });
      proc.once("exit", (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
    });
  };
  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGKILL");
    await exited;
  };
  return { url: `redis://127.0.0.1:${port}`, port, start, stop };
}
