import type Database from "better-sqlite3";
import type pg from "pg";

/**
 * Writes a batch of usage (last used, daily counts) with the driver, not Prisma: a batch may
 * hold tens of thousands of keys (100,000 keys in rotation, bench:verify), which through Prisma
 * cost about a millisecond of CPU per statement and starved the hot path for a minute.
 * SQLite: prepared statements in transactions of a few thousand keys, on the lookup's connection,
 * never waiting for a lock (a wait would block the event loop): SQLITE_BUSY throws and the
 * caller keeps the batch for the next flush. PostgreSQL: one statement per chunk (unnest).
 * A key deleted meanwhile (its tenant deleted) is skipped, not a failed batch.
 */
export type UsageRow = {
  keyId: string;
  day: string;
  success: number;
  failure: number;
  rateLimited: number;
  usageExceeded: number;
  lastUsedAt: Date | null;
  /** The last use of the previous secret of a rotation overlap, when there was one. */
  previousUsedAt?: Date | null;
};
export type RootKeyUse = { rootKeyId: string; lastUsedAt: Date };
export type TokenUse = { jti: string; lastUsedAt: Date };
export type UsageWriter = {
  /** Writes one chunk (at most a few thousand rows) whole or not at all. */
  writeChunk(rows: UsageRow[]): Promise<void>;
  /** Root keys' last-used times (root keys are few: one statement or transaction). */
  writeRootKeyUse(uses: RootKeyUse[]): Promise<void>;
  /** Signed tokens' last-used times (live ones are bounded by the key limits). */
  writeTokenUse(uses: TokenUse[]): Promise<void>;
  close(): Promise<void>;
};

// Prisma's SQLite DateTime text, so that Prisma reads these back as it reads its own.
const sqliteDate = (date: Date) => date.toISOString().replace("Z", "+00:00");

/**
 * `connection` is the lookup's own connection (lookup.ts), so that these commits do not count as
 * another connection's change. A flush must never wait for a lock (it would block the
 * event loop): the busy timeout is 0 while it runs, and `busyTimeout` again afterwards.
 */
export function sqliteUsageWriter(connection: () => Database.Database, busyTimeout: number): UsageWriter {
  const withoutWaiting = (db: Database.Database, work: () => void) => {
    db.pragma("busy_timeout = 0");
    try {
      // BEGIN IMMEDIATE: take the write lock first (or fail at once with SQLITE_BUSY).
      db.transaction(work).immediate();
    } finally {
      db.pragma(`busy_timeout = ${busyTimeout}`);
    }
  };
  return {
    async writeRootKeyUse(uses) {
      const db = connection();
      const lastUsed = db.prepare(`UPDATE "RootKey" SET "lastUsedAt" = ? WHERE "id" = ? AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ?)`);
      withoutWaiting(db, () => {
        for (const use of uses) lastUsed.run(sqliteDate(use.lastUsedAt), use.rootKeyId, sqliteDate(use.lastUsedAt));
      });
    },
    async writeTokenUse(uses) {
      const db = connection();
      const lastUsed = db.prepare(`UPDATE "IssuedToken" SET "lastUsedAt" = ? WHERE "id" = ? AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ?)`);
      withoutWaiting(db, () => {
        for (const use of uses) lastUsed.run(sqliteDate(use.lastUsedAt), use.jti, sqliteDate(use.lastUsedAt));
      });
    },
    async writeChunk(chunk) {
      const db = connection();
      const lastUsed = db.prepare(`UPDATE "ApiKey" SET "lastUsedAt" = ? WHERE "id" = ? AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ?)`);
      // Only while the overlap runs: a use counted just before "End overlap now" must not
      // bring back a previous secret's last use onto a key that has none any more.
      const previousUsed = db.prepare(`UPDATE "ApiKey" SET "previousLastUsedAt" = ? WHERE "id" = ? AND "previousHash" IS NOT NULL
        AND ("previousLastUsedAt" IS NULL OR "previousLastUsedAt" < ?)`);
      const upsert = `ON CONFLICT ("keyId", "day") DO UPDATE SET "successCount" = "successCount" + excluded."successCount",
          "failureCount" = "failureCount" + excluded."failureCount",
          "rateLimitedCount" = "rateLimitedCount" + excluded."rateLimitedCount",
          "usageExceededCount" = "usageExceededCount" + excluded."usageExceededCount"`;
      const columns = `INSERT INTO "ApiKeyUsageDaily" ("keyId", "day", "successCount", "failureCount", "rateLimitedCount", "usageExceededCount")`;
      const daily = db.prepare(`${columns} SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM "ApiKey" WHERE "id" = ?) ${upsert}`);
      // When the last-used UPDATE just changed the key's row, the key exists in this transaction:
      // no second look for it (the common row, about a microsecond each).
      const dailyOfKnownKey = db.prepare(`${columns} VALUES (?, ?, ?, ?, ?, ?) ${upsert}`);
      withoutWaiting(db, () => {
        for (const row of chunk) {
          let known = false;
          // Each time's text made once per row (100,000 keys in rotation flush ~100,000 rows).
          if (row.lastUsedAt) {
            const at = sqliteDate(row.lastUsedAt);
            known = lastUsed.run(at, row.keyId, at).changes === 1;
          }
          if (row.previousUsedAt) {
            const at = sqliteDate(row.previousUsedAt);
            previousUsed.run(at, row.keyId, at);
          }
          if (known) dailyOfKnownKey.run(row.keyId, row.day, row.success, row.failure, row.rateLimited, row.usageExceeded);
          else daily.run(row.keyId, row.day, row.success, row.failure, row.rateLimited, row.usageExceeded, row.keyId);
        }
      });
    },
    async close() {},
  };
}

// UTC wall-clock text for a timestamp without time zone, as Prisma writes it.
const pgTimestamp = (date: Date) => date.toISOString().replace("T", " ").replace("Z", "");

/** `pool`: the lookup's pool, opened with its first query. */
export function pgUsageWriter(pool: () => Promise<pg.Pool>): UsageWriter {
  return {
    async writeRootKeyUse(uses) {
      await (await pool()).query(
        `UPDATE "RootKey" r SET "lastUsedAt" = u."lastUsedAt"
         FROM unnest($1::text[], $2::timestamp(3)[]) AS u("id", "lastUsedAt")
         WHERE r."id" = u."id" AND (r."lastUsedAt" IS NULL OR r."lastUsedAt" < u."lastUsedAt")`,
        [uses.map((u) => u.rootKeyId), uses.map((u) => pgTimestamp(u.lastUsedAt))],
      );
    },
    async writeTokenUse(uses) {
      await (await pool()).query(
        `UPDATE "IssuedToken" t SET "lastUsedAt" = u."lastUsedAt"
         FROM unnest($1::text[], $2::timestamp(3)[]) AS u("id", "lastUsedAt")
         WHERE t."id" = u."id" AND (t."lastUsedAt" IS NULL OR t."lastUsedAt" < u."lastUsedAt")`,
        [uses.map((u) => u.jti), uses.map((u) => pgTimestamp(u.lastUsedAt))],
      );
    },
    async writeChunk(chunk) {
        const previous = chunk.filter((r) => r.previousUsedAt);
        if (previous.length > 0) {
          // Only while the overlap runs (see the SQLite writer).
          await (await pool()).query(
            `UPDATE "ApiKey" k SET "previousLastUsedAt" = u."at"
             FROM unnest($1::text[], $2::timestamp(3)[]) AS u("id", "at")
             WHERE k."id" = u."id" AND k."previousHash" IS NOT NULL AND (k."previousLastUsedAt" IS NULL OR k."previousLastUsedAt" < u."at")`,
            [previous.map((r) => r.keyId), previous.map((r) => pgTimestamp(r.previousUsedAt!))],
          );
        }
        await (await pool()).query(
          `WITH input AS (
             SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::timestamp(3)[], $6::int[], $7::int[]) AS u("keyId", "day", s, f, "lastUsedAt", rl, ue)
           ), counted AS (
             INSERT INTO "ApiKeyUsageDaily" ("keyId", "day", "successCount", "failureCount", "rateLimitedCount", "usageExceededCount")
             SELECT i."keyId", i."day", i.s, i.f, i.rl, i.ue FROM input i WHERE EXISTS (SELECT 1 FROM "ApiKey" k WHERE k."id" = i."keyId")
             ON CONFLICT ("keyId", "day") DO UPDATE SET "successCount" = "ApiKeyUsageDaily"."successCount" + EXCLUDED."successCount",
               "failureCount" = "ApiKeyUsageDaily"."failureCount" + EXCLUDED."failureCount",
               "rateLimitedCount" = "ApiKeyUsageDaily"."rateLimitedCount" + EXCLUDED."rateLimitedCount",
               "usageExceededCount" = "ApiKeyUsageDaily"."usageExceededCount" + EXCLUDED."usageExceededCount"
           )
           UPDATE "ApiKey" k SET "lastUsedAt" = l."lastUsedAt"
           FROM (SELECT "keyId", max("lastUsedAt") AS "lastUsedAt" FROM input WHERE "lastUsedAt" IS NOT NULL GROUP BY "keyId") l
           WHERE k."id" = l."keyId" AND (k."lastUsedAt" IS NULL OR k."lastUsedAt" < l."lastUsedAt")`,
          [
            chunk.map((r) => r.keyId),
            chunk.map((r) => r.day),
            chunk.map((r) => r.success),
            chunk.map((r) => r.failure),
            chunk.map((r) => (r.lastUsedAt ? pgTimestamp(r.lastUsedAt) : null)),
            chunk.map((r) => r.rateLimited),
            chunk.map((r) => r.usageExceeded),
          ],
        );
    },
    async close() {},
  };
}
