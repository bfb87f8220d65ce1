import type pg from "pg";
import type { RequestLogEntry, RequestLogWriter } from "./types";

/**
 * PostgreSQL's request log writes, on the hot path's pool (lib/verify/lookup.ts), not Prisma: a
 * flush may carry tens of thousands of entries, and Prisma costs about a millisecond of CPU per
 * statement. One INSERT ... SELECT FROM unnest(...) per chunk. SQLite's run in a worker thread
 * (sqlite-worker.ts).
 */
// via ("key" | "token", the key page's Key / Token filter) is "token" exactly when tokenId is set.
const COLUMNS = `"tenantId", "keyId", "tokenId", "at", "requestId", "outcome", "clientIp", "method", "path", "userAgent", "source", "via"`;

// PostgreSQL's timestamp(3) text, as usage-writer.ts writes it.
const pgTimestamp = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

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
     SELECT u.*, CASE WHEN u."tokenId" IS NULL THEN 'key' ELSE 'token' END
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp(3)[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
       AS u(${COLUMNS.replace(', "via"', "")})`,
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
