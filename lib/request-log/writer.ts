import type Database from "better-sqlite3";
import type pg from "pg";
import type { RequestLogEntry, RequestLogWriter } from "./types";

/**
 * The request log's writes, on the hot path's own driver connection (lib/verify/lookup.ts), not
 * Prisma: a flush may carry tens of thousands of entries, and Prisma costs about a millisecond of
 * CPU per statement. Each chunk is one multi-row INSERT. SQLite: on the lookup's connection (its
 * commits must not look like another connection's change, which would empty the key cache) and
 * never waiting for the write lock (a wait would block the event loop): SQLITE_BUSY throws and
 * the buffer keeps the chunk. PostgreSQL: one INSERT ... SELECT FROM unnest(...) per chunk.
 */
const COLUMNS = `"tenantId", "keyId", "tokenId", "at", "requestId", "outcome", "clientIp", "method", "path", "userAgent", "source"`;
const WIDTH = 11;

// Prisma's SQLite DateTime text and PostgreSQL's timestamp(3) text, as usage-writer.ts writes them.
const sqliteDate = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const pgTimestamp = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

export function sqliteRequestLogWriter(connection: () => Database.Database, busyTimeout: number): RequestLogWriter {
  // The statement for a full chunk is kept; a shorter (last) chunk prepares its own.
  let cached: { db: Database.Database; rows: number; statement: Database.Statement } | null = null;
  const insertFor = (db: Database.Database, rows: number) => {
    if (cached && cached.db === db && cached.rows === rows) return cached.statement;
    const values = Array.from({ length: rows }, () => `(${Array(WIDTH).fill("?").join(", ")})`).join(", ");
    const statement = db.prepare(`INSERT INTO "RequestLog" (${COLUMNS}) VALUES ${values}`);
    cached = { db, rows, statement };
    return statement;
  };
  const withoutWaiting = <T>(db: Database.Database, work: () => T): T => {
    db.pragma("busy_timeout = 0");
    try {
      return db.transaction(work).immediate();
    } finally {
      db.pragma(`busy_timeout = ${busyTimeout}`);
    }
  };
  return {
    async insert(entries) {
      if (entries.length === 0) return;
      const db = connection();
      const params: unknown[] = new Array(entries.length * WIDTH);
      let i = 0;
      for (const e of entries) {
        params[i++] = e.tenantId;
        params[i++] = e.keyId;
        params[i++] = e.tokenId;
        params[i++] = sqliteDate(e.at);
        params[i++] = e.requestId;
        params[i++] = e.outcome;
        params[i++] = e.clientIp;
        params[i++] = e.method;
        params[i++] = e.path;
        params[i++] = e.userAgent;
        params[i++] = e.source;
      }
      const statement = insertFor(db, entries.length);
      withoutWaiting(db, () => statement.run(params));
    },
    async prune(before, limit) {
      const db = connection();
      const statement = db.prepare(`DELETE FROM "RequestLog" WHERE "id" IN (SELECT "id" FROM "RequestLog" WHERE "at" < ? ORDER BY "at" LIMIT ?)`);
      const deleted = withoutWaiting(db, () => statement.run(sqliteDate(before.getTime()), limit).changes);
      // Each batch's pages are checkpointed at once (PASSIVE: never waits for readers), so that a
      // commit never meets the automatic checkpoint of a thousand pages of deletes (80+ ms on
      // the event loop); the batch's timing includes it, and the batch shrinks if it is slow.
      if (deleted > 0) db.pragma("wal_checkpoint(PASSIVE)");
      return deleted;
    },
  };
}

export function pgRequestLogWriter(pool: () => Promise<pg.Pool>): RequestLogWriter {
  return {
    async insert(entries) {
      if (entries.length === 0) return;
      // A chunk's commit does not wait for its WAL to reach the disk (synchronous_commit off, for
      // this transaction only): a crash of the database server may lose the last fraction of a
      // second of log entries, never a key or a usage count, and the flush does not wait for an
      // fsync per chunk.
      const client = await (await pool()).connect();
      let failed = false;
      try {
        await client.query("BEGIN");
        await client.query("SET LOCAL synchronous_commit TO OFF");
        await insertChunk(client, entries);
        await client.query("COMMIT");
      } catch (error) {
        failed = true;
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release(failed);
      }
    },
    async prune(before, limit) {
      const result = await (await pool()).query(
        `DELETE FROM "RequestLog" WHERE "id" IN (SELECT "id" FROM "RequestLog" WHERE "at" < $1::timestamp(3) ORDER BY "at" LIMIT $2)`,
        [pgTimestamp(before.getTime()), limit],
      );
      return result.rowCount ?? 0;
    },
  };
}

function insertChunk(client: pg.PoolClient, entries: RequestLogEntry[]) {
  return client.query(
    `INSERT INTO "RequestLog" (${COLUMNS})
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp(3)[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])`,
    [
      entries.map((e) => e.tenantId),
      entries.map((e) => e.keyId),
      entries.map((e) => e.tokenId),
      entries.map((e) => pgTimestamp(e.at)),
      entries.map((e) => e.requestId),
      entries.map((e) => e.outcome),
      entries.map((e) => e.clientIp),
      entries.map((e) => e.method),
      entries.map((e) => e.path),
      entries.map((e) => e.userAgent),
      entries.map((e) => e.source),
    ],
  );
}
