import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";
import { resolveDatabaseUrl } from "./database-url";
import { increment } from "../metrics";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * A Prisma client on the embedded SQLite database. Writers in other processes are waited for
 * (busy timeout) rather than failed at once; WAL mode is set when the database is prepared.
 */
export function createPrismaClient(url = resolveDatabaseUrl()): PrismaClient {
  const adapter = new PrismaBetterSQLite3({ url, timeout: 10_000 });
  const client = new PrismaClient({ adapter, log: [{ level: "query", emit: "event" }] });
  // Counted for /api/metrics and the benchmarks (e.g. malformed keys must cost no query).
  client.$on("query", () => increment("db_queries_total"));
  return client;
}
