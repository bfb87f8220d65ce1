// The audit log's CSV export streams: it reads one page (keyset on seq) each time its reader asks
// for more, never the whole log up front, and paging does not change a byte of the file.
// Runs on SQLite and, in the PostgreSQL phase, on PostgreSQL (tests/db.ts).
import { describe, expect, it } from "vitest";
import type { SeededDb } from "../../tests/db";
import { setupSeededDb } from "../../tests/helpers/verifier-db";
import { appendAuditEvents } from "../../tests/factory";
import type { Db } from "../db/prisma";
import { auditCsvStream } from "./csv";

/** The db with its audit event reads counted. */
function counting(db: Db) {
  const reads = { count: 0 };
  const auditEvent = new Proxy(db.auditEvent, {
    get: (target, name, receiver) =>
      name === "findMany" ? (...args: Parameters<Db["auditEvent"]["findMany"]>) => (reads.count++, target.findMany(...args)) : Reflect.get(target, name, receiver),
  });
  return { db: new Proxy(db, { get: (target, name, receiver) => (name === "auditEvent" ? auditEvent : Reflect.get(target, name, receiver)) }), reads };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("audit CSV export", () => {
  let t: SeededDb;
  setupSeededDb("audit-csv", (db) => (t = db));

  it("reads a page only when the reader asks for it, and pages of 7 give the same bytes as one page", async () => {
    const tenantId = t.fx.acme.id;
    await appendAuditEvents(
      t.db,
      Array.from({ length: 30 }, (_, i) => ({
        tenantId,
        actor: { type: "user" as const, userId: t.fx.users.admin.id, label: i === 3 ? "=cmd|' /C calc'!A0" : "admin@acme.test" },
        action: "api_key.created" as const,
        requestId: `req_csv_${i}`,
        createdAt: new Date(Date.UTC(2031, 0, 1, 0, 0, i)),
        details: { note: `line "${i}", with a comma\nand a newline` },
      })),
    );
    const whole = await readAll(auditCsvStream(t.db, tenantId, {}, 100_000));
    const lines = whole.trimEnd().split("\r\n");
    expect(lines[0]).toBe("time,seq,actor_type,actor,action,key_id,key_prefix,scopes,request_id,details");
    expect(whole).toContain("'=cmd|' /C calc'!A0");

    const { db, reads } = counting(t.db);
    const reader = auditCsvStream(db, tenantId, {}, 7).getReader();
    expect((await reader.read()).value).toBeDefined(); // the header: no read yet
    expect(reads.count).toBe(0);
    await reader.read();
    expect(reads.count).toBe(1);
    await reader.read();
    expect(reads.count).toBe(2);
    reader.releaseLock();

    const { db: pagedDb, reads: pagedReads } = counting(t.db);
    expect(await readAll(auditCsvStream(pagedDb, tenantId, {}, 7))).toBe(whole);
    const events = await t.db.auditEvent.count({ where: { tenantId } });
    expect(pagedReads.count).toBe(Math.ceil(events / 7) + (events % 7 === 0 ? 1 : 0));
  });
});
