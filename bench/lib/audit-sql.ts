// The audit log's own code (lib/audit/) on one benchmark database, for bench/audit-log.mjs.
//   verify <db file> <tenantId>                 verifyAuditChain (the "Verify chain" button): JSON { report, ms }
//   verify-timed <db file> <tenantId> [runs=5]
//                                               verifyAuditChain `runs` times, and the previous
//                                               implementation's cost (Prisma findMany pages of
//                                               1000, one SHA-256 per event) as many times: JSON
//                                               { report, runs: [{ ms, cpuMs }], before: [...] }
//   capture <db file> <tenantId> <query>...     the SQL Prisma sends for listAuditEvents of each
//                                               query string, then for the CSV export's first two
//                                               pages: JSON [{ label, query, params }]
//   drain <db file> <tenantId> [pageSize=1000] [passes=3]
//                                               diagnostic, by hand: drains auditCsvStream in this
//                                               process (Prisma + the stream, no Next, no HTTP) and
//                                               prints this process's memory growth per pass
// Run: node --conditions=react-server --import tsx bench/lib/audit-sql.ts ...
import { createHash } from "node:crypto";
import { createPrismaClient } from "../../lib/db/prisma";
import { auditHashInput } from "../../lib/audit/chain";
import { auditListSchema } from "../../lib/audit/schemas";
import { listAuditEvents } from "../../lib/audit/queries";
import { verifyAuditChain } from "../../lib/audit/verify-chain";
import { auditCsvStream } from "../../lib/audit/csv";
import { captureQueries } from "./query-capture";

async function main() {
  const [mode, dbFile, tenantId, ...searches] = process.argv.slice(2);
  const db = createPrismaClient(`file:${dbFile}`);
  try {
    if (mode === "verify") {
      const started = performance.now();
      const report = await verifyAuditChain(db, tenantId);
      process.stdout.write(JSON.stringify({ report, ms: performance.now() - started }));
      return;
    }
    if (mode === "verify-timed") {
      const count = Number(searches[0] || 5);
      const timed = async (work: () => Promise<unknown>) => {
        const cpu = process.cpuUsage();
        const started = performance.now();
        const result = await work();
        const used = process.cpuUsage(cpu);
        return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, result };
      };
      const runs = [];
      const before = [];
      let report: unknown = null;
      // Interleaved, so that both see the same load on a shared machine.
      for (let i = 0; i < count; i++) {
        const now = await timed(() => verifyAuditChain(db, tenantId));
        report = now.result;
        runs.push({ ms: now.ms, cpuMs: now.cpuMs });
        const old = await timed(() => previousVerify(db, tenantId));
        before.push({ ms: old.ms, cpuMs: old.cpuMs });
      }
      process.stdout.write(JSON.stringify({ report, runs, before }));
      return;
    }
    if (mode === "drain") {
      await drain(db, tenantId, Number(searches[0] || 1000), Number(searches[1] || 3));
      return;
    }
    if (mode !== "capture") throw new Error(`unknown mode ${mode}`);
    const { captured, label } = captureQueries(db);
    for (const search of searches) {
      label(`page ?${search}`);
      await listAuditEvents(db, tenantId, auditListSchema.parse(Object.fromEntries(new URLSearchParams(search))));
    }
    // The export pulls ahead of the reader, so its statements are labelled by position afterwards.
    label("export");
    const { page: _page, pageSize: _pageSize, ...filters } = auditListSchema.parse({});
    const reader = auditCsvStream(db, tenantId, filters).getReader();
    for (let i = 0; i < 3; i++) await reader.read();
    await reader.cancel();
    let n = 0;
    for (const c of captured) if (c.label === "export") c.label = `export page ${++n}${n > 1 ? " (seq < cursor)" : ""}`;
    process.stdout.write(JSON.stringify(captured.filter((c) => !/^export page [3-9]/.test(c.label))));
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

/** Memory while the export stream is drained; sampled after every chunk (timers would not run). */
async function drain(db: ReturnType<typeof createPrismaClient>, tenantId: string, pageSize: number, passes: number) {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  await db.auditEvent.findFirst({ where: { tenantId } });
  const { page: _page, pageSize: _size, ...filters } = auditListSchema.parse({});
  for (let pass = 1; pass <= passes; pass++) {
    const before = process.memoryUsage();
    const peak = { ...before };
    const reader = auditCsvStream(db, tenantId, filters, pageSize).getReader();
    let bytes = 0;
    const started = performance.now();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      const m = process.memoryUsage();
      for (const k of Object.keys(m) as (keyof typeof m)[]) peak[k] = Math.max(peak[k], m[k]);
    }
    const after = process.memoryUsage();
    console.log(
      `pageSize ${pageSize}, pass ${pass}: ${mb(bytes)} MB of CSV in ${(performance.now() - started).toFixed(0)} ms; ` +
        `RSS ${mb(before.rss)} -> peak ${mb(peak.rss)} (+${mb(peak.rss - before.rss)}) -> ${mb(after.rss)} MB; ` +
        `heapUsed ${mb(before.heapUsed)} -> peak ${mb(peak.heapUsed)} -> ${mb(after.heapUsed)} MB; ` +
        `arrayBuffers peak +${mb(peak.arrayBuffers - before.arrayBuffers)} MB`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
