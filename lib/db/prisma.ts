import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { PrismaClient as PrismaClientPg } from "../generated/prisma-pg/client";
import { databaseProvider, resolveDatabaseUrl } from "./database-url";
import { DiscardingPool } from "./pg-pool";
import { increment } from "../metrics";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

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
      max: numberFromEnv("KEYWARD_DB_POOL_SIZE", 10),
      connectionTimeoutMillis: numberFromEnv("KEYWARD_DB_CONNECT_TIMEOUT_MS", 5_000),
      statement_timeout: numberFromEnv("KEYWARD_DB_STATEMENT_TIMEOUT_MS", 10_000),
      idle_in_transaction_session_timeout: numberFromEnv("KEYWARD_DB_IDLE_TX_TIMEOUT_MS", 30_000),
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
    return client as unknown as Db;
  }
  // Writers in other processes are waited for (busy timeout) rather than failed at once;
  // WAL mode is set when the database is prepared.
  const adapter = new PrismaBetterSQLite3({ url, timeout: numberFromEnv("KEYWARD_SQLITE_BUSY_TIMEOUT_MS", 10_000) });
  const client = new PrismaClient({ adapter, log: [{ level: "query", emit: "event" }] });
  client.$on("query", countQueries);
  return client;
}
