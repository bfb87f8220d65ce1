import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { PrismaClient as PrismaClientPg } from "../generated/prisma-pg/client";
import { databaseProvider, resolveDatabaseUrl } from "./database-url";
import { DiscardingPool } from "./pg-pool";
import { increment } from "../metrics";
import { SerializedSQLite3 } from "./sqlite-adapter";
import { withCommitHooks } from "./after-commit";
import { config } from "../config";

export type Db = PrismaClient;

// The URL each client was made for, for code that reads the same database with the driver itself.
const urls = new WeakMap<object, string>();

/** The database URL `db` was created with (createPrismaClient), if it was. */
export function databaseUrlOf(db: object): string | undefined {
  return urls.get(db);
}
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * A Prisma client on DATABASE_URL: the embedded SQLite file, or PostgreSQL for a postgres://
 * URL. Both clients are generated from the same models (scripts/pg-schema.mjs), so the
 * PostgreSQL one is typed as the SQLite one; nothing in lib/ uses a provider-only feature
 * without checking databaseProvider() first.
 */
export function createPrismaClient(url = resolveDatabaseUrl()): Db {
  // Counted for /api/metrics and the benchmarks (e.g. malformed keys must cost no query).
  const countQueries = () => increment("db_queries_total");
  if (databaseProvider(url) === "postgresql") {
    const pool = new DiscardingPool({
      connectionString: url,
      // Per instance: N instances open at most N * KEYWARD_DB_POOL_SIZE connections.
      max: config().dbPoolSize,
      connectionTimeoutMillis: config().dbConnectTimeoutMs,
      statement_timeout: config().dbStatementTimeoutMs,
      idle_in_transaction_session_timeout: config().dbIdleTxTimeoutMs,
    });
    // An idle connection that the database drops is removed by pg-pool; without a listener the
    // pool's "error" event would end the process.
    pool.on("error", () => {});
    // The adapter is @prisma/adapter-pg 6.19.3, the version of @prisma/client; the pool is ours
    // (DiscardingPool, see pg-pool.ts) and disposed of with the client.
    const adapter = new PrismaPg(pool, { disposeExternalPool: true });
    const client = new PrismaClientPg({ adapter, log: [{ level: "query", emit: "event" }] });
    client.$on("query", countQueries);
    // Not an adapter bridge (the adapter above type-checks against this client as it is): the
    // two generated clients are distinct types whose PostgreSQL side accepts more (e.g.
    // skipDuplicates, more isolation levels), and TypeScript relates neither to the other.
    // lib/ writes only queries valid on both (the suite runs every test on both).
    urls.set(client, url);
    return withCommitHooks(client as unknown as Db);
  }
  // Writers in other processes are waited for (busy timeout) rather than failed at once;
  // WAL mode is set when the database is prepared. Every statement takes the one connection's
  // lock, so no request reads or writes inside another's transaction (sqlite-adapter.ts).
  const adapter = new SerializedSQLite3({ url, timeout: config().sqliteBusyTimeoutMs });
  const client = new PrismaClient({ adapter, log: [{ level: "query", emit: "event" }] });
  client.$on("query", countQueries);
  urls.set(client, url);
  return withCommitHooks(client);
}
