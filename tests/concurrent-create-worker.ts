// A separate process racing other processes to create keys on one SQLite file.
//
//   DATABASE_URL=file:/abs/test.db KEYWARD_HASH_SECRET=... \
//   node --import tsx tests/concurrent-create-worker.ts <tenantId> <groupId> <userId> <calls> <label>
//
// Opens its Prisma client and connects, prints "ready", waits for a line "go" on stdin (the
// start signal, sent to every worker at once), then fires all calls concurrently and prints one
// JSON line: { label, elapsedMs, results: [{ ok: true } | { ok: false, code, message } | { thrown }] }.
import { createInterface } from "node:readline";
import { createPrismaClient } from "../lib/db/prisma";
import { createApiKey } from "../lib/api-keys/mutations";

type Outcome = { ok: true } | { ok: false; code: string; message: string } | { thrown: string };

function waitForGo(): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin });
    lines.on("line", (line) => {
      if (line.trim() === "go") {
        resolve(); // before close(): its "close" event fires at once
        lines.close();
      }
    });
    lines.on("close", () => reject(new Error("stdin closed before the start signal")));
    process.stdout.write("ready\n");
  });
}

async function main() {
  const [tenantId, groupId, userId, callsText, label = "worker"] = process.argv.slice(2);
  const calls = Number(callsText);
  if (!tenantId || !groupId || !userId || !(calls > 0)) {
    throw new Error("usage: concurrent-create-worker <tenantId> <groupId> <userId> <calls> [label]");
  }
  const db = createPrismaClient(process.env.DATABASE_URL);
  try {
    await db.tenant.findUniqueOrThrow({ where: { id: tenantId } }); // connect now, not at the start signal
    await waitForGo();

    const ctx = { tenantId, actor: { type: "user" as const, userId, label: `race-${label}` }, requestId: `req_race_${label}` };
    const started = performance.now();
    const settled = await Promise.allSettled(
      Array.from({ length: calls }, (_, i) => createApiKey(db, ctx, { name: `Race ${label} #${i + 1}`, groupId })),
    );
    const results: Outcome[] = settled.map((s) => {
      if (s.status === "rejected") {
        const e = s.reason as Error;
        return { thrown: `${e?.name}: ${e?.message}`.slice(0, 2000) };
      }
      return s.value.ok ? { ok: true } : { ok: false, code: s.value.error.code, message: s.value.error.message };
    });
    const elapsedMs = Math.round(performance.now() - started);
    // Prefixed: the app logs to stdout too (e.g. audit checkpoints), and the test reads only this line.
    process.stdout.write("result " + JSON.stringify({ label, elapsedMs, results }) + "\n");
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
