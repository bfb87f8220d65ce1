// Verify chain's own code (lib/audit/verify-chain.ts) on one benchmark database, for
// bench/audit-verify.mjs: verify-timed <db file> <tenantId> [runs=5] runs verifyAuditChain and
// the previous implementation (Prisma findMany pages of 1000, one SHA-256 per event) `runs`
// times each, interleaved: JSON { report, runs: [{ ms, cpuMs }], before: [...] }.
// Run: node --conditions=react-server --import tsx bench/lib/audit-sql.ts ...
import { createHash } from "node:crypto";
import { createPrismaClient } from "../../lib/db/prisma";
import { auditHashInput } from "../../lib/audit/chain";
import { verifyAuditChain } from "../../lib/audit/verify-chain";

async function main() {
  const [mode, dbFile, tenantId, runs = "5"] = process.argv.slice(2);
  if (mode !== "verify-timed") throw new Error(`unknown mode ${mode}`);
  const db = createPrismaClient(`file:${dbFile}`);
  try {
    const timed = async (work: () => Promise<unknown>) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = await work();
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, result };
    };
    const now = [];
    const before = [];
    let report: unknown = null;
    // Interleaved, so that both see the same load on a shared machine.
    for (let i = 0; i < Number(runs); i++) {
      const run = await timed(() => verifyAuditChain(db, tenantId));
      report = run.result;
      now.push({ ms: run.ms, cpuMs: run.cpuMs });
      const old = await timed(() => previousVerify(db, tenantId));
      before.push({ ms: old.ms, cpuMs: old.cpuMs });
    }
    process.stdout.write(JSON.stringify({ report, runs: now, before }));
  } finally {
    await db.$disconnect();
  }
}

/**
 * The work of verifyAuditChain before keyed chains (commit d95830c): Prisma findMany pages of
 * 1000 whole rows in seq order and one SHA-256 per event. Kept here only to measure against.
 */
async function previousVerify(db: ReturnType<typeof createPrismaClient>, tenantId: string) {
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const events = await db.auditEvent.findMany({ where: { tenantId, seq: { gte: expectedSeq } }, orderBy: { seq: "asc" }, take: 1000 });
    for (const event of events) {
      createHash("sha256").update(auditHashInput(event)).digest("hex");
      expectedSeq++;
      checked++;
    }
    if (events.length < 1000) return checked;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
