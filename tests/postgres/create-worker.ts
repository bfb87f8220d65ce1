// A long-lived process racing other processes to create keys on one PostgreSQL database.
//
//   DATABASE_URL=postgresql://… KEYWARD_HASH_SECRET=… node --import tsx tests/postgres/create-worker.ts \
//     <tenantId> <groupId> <userId> <callsPerRound> <label>
//
// Prints "ready" once connected; then, for every line "go <round>" on stdin, fires all calls at
// once and prints one JSON line { round, results }. Exits when stdin closes.
import { createInterface } from "node:readline";
import { createPrismaClient } from "../../lib/db/prisma";
import { createApiKey } from "../../lib/api-keys/mutations";

async function main() {
  const [tenantId, groupId, userId, callsText, label] = process.argv.slice(2);
  const calls = Number(callsText);
  const db = createPrismaClient(process.env.DATABASE_URL);
  await db.tenant.findUniqueOrThrow({ where: { id: tenantId } });
  const ctx = { tenantId, actor: { type: "user" as const, userId, label: `race-${label}` }, requestId: `req_race_${label}` };
  const lines = createInterface({ input: process.stdin });
  process.stdout.write("ready\n");
  for await (const line of lines) {
    const match = /^go (\d+)$/.exec(line.trim());
    if (!match) continue;
    const round = Number(match[1]);
    const settled = await Promise.allSettled(
      Array.from({ length: calls }, (_, i) => createApiKey(db, ctx, { name: `Race ${label} r${round} #${i + 1}`, groupId })),
    );
    const results = settled.map((s) =>
      s.status === "rejected"
        ? { thrown: String((s.reason as Error)?.message ?? s.reason).slice(0, 500) }
        : s.value.ok
          ? { ok: true }
          : { ok: false, code: s.value.error.code },
    );
    // Prefixed: the app logs to stdout too (e.g. audit checkpoints), and the test reads only these lines.
    process.stdout.write("result " + JSON.stringify({ round, results }) + "\n");
  }
  await db.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
