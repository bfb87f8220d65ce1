import Database from "better-sqlite3";
import type pg from "pg";
import { databaseProvider, resolveDatabaseUrl, sqliteFilePath } from "../db/database-url";
import { increment } from "../metrics";
import { config } from "../config";
import type { CachedKey } from "../api-keys/key-cache";
import { rowToKey, type KeyRow as Row } from "./key-record";
import { pgUsageWriter, sqliteUsageWriter, type UsageWriter } from "./usage-writer";
import { pgCreditWriter, sqliteCreditWriter, type CreditWriter } from "../rate-limits/credit-writer";
import { setCreditWriter } from "../rate-limits/credit-ledger";
import { pgRequestLogWriter } from "../request-log/writer";
import { sqliteWorkerRequestLogWriter } from "../request-log/sqlite-worker";
import type { RequestLogWriter } from "../request-log/types";

/**
 * The hot path's one database statement: a key by its hash or its previous hash, with its
 * tenant's name and its group, in one join, prepared once on the driver (no Prisma: its query
 * compiler made three statements and about 1.2 ms of CPU per miss, issue 12).
 *
 * SQLite: a better-sqlite3 connection of its own on the same file (which also writes usage). In
 * WAL mode it never sees another connection's uncommitted writes, and `PRAGMA data_version` on it
 * tells whether any other connection (this process's Prisma client, the request log's worker
 * thread or another process) committed since the last look. When it moved, the key change
 * counter (KeyChangeCounter, bumped by triggers on the tables the caches hold, migration
 * 20261206010000) says whether that commit changed a key, tenant, group, root key or token:
 * that is how a separate verifier process honours a revoke on the next request, while the
 * request log's writes leave the caches alone.
 * PostgreSQL: a small pg Pool with a named prepared statement.
 */
export type RootKeyRecord = { id: string; name: string; prefix: string; status: string; allTenants: boolean; tenantIds: string[] };

export type KeyLookup = {
  provider: "sqlite" | "postgresql";
  /**
   * The key by its hash (hex). SQLite answers at once (better-sqlite3 is synchronous: a promise
   * would only add microtask hops and, in verify.ts, an in-flight entry per miss); PostgreSQL
   * with a promise.
   */
  find(hash: string): CachedKey | null | Promise<CachedKey | null>;
  findRoot(hash: string): Promise<RootKeyRecord | null>;
  /** Batched usage writes (lib/verify/usage.ts), on the same driver. */
  usage: UsageWriter;
  /** Batched credit spends (lib/rate-limits/credit-ledger.ts), on the same driver. */
  credits: CreditWriter;
  /** The request log's batched inserts and pruning (lib/request-log/): PostgreSQL on the same pool, SQLite in a worker thread. */
  requestLog: RequestLogWriter;
  /**
   * SQLite: true when another connection changed what the caches hold since the last call (a
   * commit, then a move of the key change counter). PostgreSQL: false (the change bus tells).
   */
  changedSinceLastCheck(): boolean;
  close(): Promise<void>;
};

// Every column read here (and in ROOT_COLUMNS, and lib/tokens/verify-token.ts's token lookup) must
// be in its table's key change trigger (prisma/migrations/20261206010000_key_change_counter):
// tests/key-change-counter.test.ts fails when one is missing.
// An HMAC-SHA-256 that is one key's hash and another's previous hash would be a collision, so
// at most one row matches; both columns have a unique index.
const COLUMNS = `k."id", k."tenantId", k."groupId", k."name", k."prefix", k."previousPrefix", k."status",
  k."expiresAt", k."ipAllowlist", k."hash", k."previousHashExpiresAt",
  t."name" AS "tenantName", g."name" AS "groupName", g."scopes",
  k."rateLimits" AS "keyRateLimits", g."rateLimits" AS "groupRateLimits", k."credits", k."creditsRefillAmount",
  k."creditsRefillInterval", k."creditsRefillDay", k."creditsRefilledAt", k."creditsVersion"`;
const FROM = `FROM "ApiKey" k JOIN "Tenant" t ON t."id" = k."tenantId" JOIN "AuthorizationGroup" g ON g."id" = k."groupId"`;
const SQLITE_SQL = `SELECT ${COLUMNS} ${FROM} WHERE k."hash" = ? OR k."previousHash" = ? LIMIT 1`;
const PG_SQL = `SELECT ${COLUMNS} ${FROM} WHERE k."hash" = $1 OR k."previousHash" = $1 LIMIT 1`;
const ROOT_COLUMNS = `"id", "name", "prefix", "status", "allTenants", "tenantIds"`;
const SQLITE_ROOT_SQL = `SELECT ${ROOT_COLUMNS} FROM "RootKey" WHERE "hash" = @hash`;
const PG_ROOT_SQL = `SELECT ${ROOT_COLUMNS} FROM "RootKey" WHERE "hash" = $1`;
const COUNTER_SQL = `SELECT "version" FROM "KeyChangeCounter" WHERE "id" = 1`;
type RootRow = { id: string; name: string; prefix: string; status: string; allTenants: boolean | number; tenantIds: string };

// SQLite's row as an array (better-sqlite3's raw mode), in COLUMNS' order: building the
// object here costs less than the driver setting 22 named properties (a miss's lookup took about
// 13 us with objects and 7 us raw, bench:verify's database).
type RawRow = unknown[];
function rawToRow(r: RawRow): Row {
  return {
    id: r[0], tenantId: r[1], groupId: r[2], name: r[3], prefix: r[4], previousPrefix: r[5], status: r[6],
    expiresAt: r[7], ipAllowlist: r[8], hash: r[9], previousHashExpiresAt: r[10],
    tenantName: r[11], groupName: r[12], scopes: r[13],
    keyRateLimits: r[14], groupRateLimits: r[15], credits: r[16], creditsRefillAmount: r[17],
    creditsRefillInterval: r[18], creditsRefillDay: r[19], creditsRefilledAt: r[20], creditsVersion: r[21],
  } as Row;
}

function rootRowToRecord(row: RootRow): RootKeyRecord {
  // SQLite stores booleans as 0/1.
  return { ...row, allTenants: row.allTenants === true || row.allTenants === 1, tenantIds: row.tenantIds.split(" ").filter(Boolean) };
}

function sqliteLookup(file: string): KeyLookup {
  const busyTimeout = config().sqliteBusyTimeoutMs;
  type Open = {
    connection: Database.Database;
    statement: Database.Statement<[string, string], RawRow>;
    root: Database.Statement<{ hash: string }, RootRow>;
    version: Database.Statement<[], number>;
    counter: Database.Statement<[], number>;
  };
  let open: Open | null = null;
  let lastVersion = -1;
  let lastCounter = -1;
  // Opened on first use and again after a failure, so that a file that is locked or missing at
  // start (a backup tool holding an exclusive lock) costs 503s, not a process that never serves.
  const ensure = (): Open => {
    if (open) return open;
    // fileMustExist: the verifier never creates the database. WAL is set on the file by
    // prepare-db. One connection both reads keys and writes usage (usage-writer.ts): PRAGMA
    // data_version changes only for commits of *other* connections, so this process's own
    // usage flushes leave the key cache alone. (With a second connection for usage, every
    // flush emptied the cache: one database lookup per cached key after each flush.)
    const connection = new Database(file, { fileMustExist: true, timeout: busyTimeout });
    // A 4 MB page cache instead of better-sqlite3's 16 MB: the verifier's memory is mostly
    // its key cache, and the pages a lookup misses come from the OS's cache (bench:verify).
    connection.pragma("cache_size = -4000");
    try {
      open = {
        connection,
        statement: connection.prepare<[string, string], RawRow>(SQLITE_SQL).raw(),
        root: connection.prepare<{ hash: string }, RootRow>(SQLITE_ROOT_SQL),
        version: connection.prepare<[], number>("PRAGMA data_version").pluck(),
        counter: connection.prepare<[], number>(COUNTER_SQL).pluck(),
      };
      return open;
    } catch (error) {
      connection.close();
      throw error;
    }
  };
  const guard = <T>(work: (o: Open) => T): T => {
    const o = ensure();
    try {
      return work(o);
    } catch (error) {
      open = null;
      lastVersion = -1;
      lastCounter = -1;
      o.connection.close();
      throw error;
    }
  };
  const usage = sqliteUsageWriter(() => ensure().connection, busyTimeout);
  // The credit writer's UPDATE of ApiKey.credits bumps the counter (another process's spends
  // must reach this one's cache, as before the counter). This process's own spends must not empty
  // its cache: when nobody else bumped the counter since this process last read it (it equals
  // lastCounter inside the write's transaction), the bumps the write made are taken as seen.
  const credits = sqliteCreditWriter(() => ensure().connection, busyTimeout, {
    read: () => ensure().counter.get() ?? 0,
    committed: (before, after) => {
      if (before === lastCounter) lastCounter = after;
    },
  });
  const requestLog = sqliteWorkerRequestLogWriter(file, busyTimeout);
  return {
    provider: "sqlite",
    usage,
    credits,
    requestLog,
    find(hash) {
      increment("db_queries_total");
      const row = guard((o) => o.statement.get(hash, hash));
      return row ? rowToKey(rawToRow(row), hash) : null;
    },
    async findRoot(hash) {
      increment("db_queries_total");
      const row = guard((o) => o.root.get({ hash }));
      return row ? rootRowToRecord(row) : null;
    },
    changedSinceLastCheck() {
      // A fresh connection knows nothing of what came before it: treat that as a change too.
      return guard((o) => {
        const current = o.version.get() ?? 0;
        if (current === lastVersion) return false;
        lastVersion = current;
        // Read after data_version, so it is at least as new: a key change committed between the
        // two reads is seen now (and the next call's data_version move finds the counter unchanged).
        const counter = o.counter.get() ?? 0;
        if (counter === lastCounter) return false;
        lastCounter = counter;
        return true;
      });
    },
    async close() {
      await requestLog.close?.();
      open?.connection.close();
      open = null;
    },
  };
}

// Prisma writes TIMESTAMP(3) columns (no time zone) in UTC; pg would read them as local time.
const TIMESTAMP_OID = 1114;
function typesOf(driver: typeof pg) {
  return {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      oid === TIMESTAMP_OID && format !== "binary"
        ? (value: string) => new Date(value.replace(" ", "T") + "Z")
        : driver.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
  };
}

function pgLookup(url: string): KeyLookup {
  // pg is loaded with the first query: a verifier on SQLite never pays its ~10 MB of memory.
  let opened: Promise<pg.Pool> | null = null;
  const pool = () =>
    (opened ??= import("pg").then(({ default: driver }) => {
      const created = new driver.Pool({
        connectionString: url,
        max: config().verifyPoolSize,
        connectionTimeoutMillis: config().dbConnectTimeoutMs,
        statement_timeout: config().dbStatementTimeoutMs,
        types: typesOf(driver),
      });
      // An idle connection that dies (database restart) must not crash the process; the next
      // query gets a fresh one or fails into 503.
      created.on("error", () => {});
      return created;
    }));
  return {
    provider: "postgresql",
    usage: pgUsageWriter(pool),
    credits: pgCreditWriter(pool),
    requestLog: pgRequestLogWriter(pool),
    async find(hash) {
      increment("db_queries_total");
      const result = await (await pool()).query<Row>({ name: "keyward_verify_lookup", text: PG_SQL, values: [hash] });
      const row = result.rows[0];
      return row ? rowToKey(row, hash) : null;
    },
    async findRoot(hash) {
      increment("db_queries_total");
      const result = await (await pool()).query<RootRow>({ name: "keyward_verify_root", text: PG_ROOT_SQL, values: [hash] });
      const row = result.rows[0];
      return row ? rootRowToRecord(row) : null;
    },
    changedSinceLastCheck: () => false,
    async close() {
      if (opened) await (await opened).end();
    },
  };
}

/**
 * The lookup on `url`. Credits spent in memory (lib/rate-limits/credit-ledger.ts, process-wide)
 * are written through the newest lookup's connection: set here once, not on every verification.
 */
export function createKeyLookup(url = resolveDatabaseUrl()): KeyLookup {
  let lookup: KeyLookup;
  if (databaseProvider(url) === "postgresql") lookup = pgLookup(url);
  else {
    const file = sqliteFilePath(url);
    if (!file) throw new Error("DATABASE_URL is neither a SQLite file: URL nor a postgres:// URL");
    lookup = sqliteLookup(file);
  }
  setCreditWriter(lookup.credits);
  return lookup;
}
