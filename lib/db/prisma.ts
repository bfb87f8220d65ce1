import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client";
import { PrismaClient as PrismaClientPg } from "../generated/prisma-pg/client";
import { databaseProvider, resolveDatabaseUrl } from "./database-url";
import { DiscardingPool } from "./pg-pool";
import { increment } from "../metrics";
import { SerializedSQLite3 } from "./sqlite-adapter";
import { withCommitHooks } from "./after-commit";
import { config } from "../config";

/**
 * What lib/ may use of a client: the same shape on both databases, so that each generated client
 * is a Db as it is (TypeScript checks it below, no cast). It is the SQLite client's surface,
 * whose inputs are the narrower ones and so valid on PostgreSQL too, minus `aggregate` and
 * `groupBy`: their result types are conditional types (GetScalarType, Get<Model>GroupByPayload)
 * that each generated client declares for itself, and TypeScript does not relate two such
 * declarations even where they are alike. Grouped reads use COUNT/`_count` or SQL instead.
 */
type Client = PrismaClient;
type ModelKey = Uncapitalize<Prisma.ModelName>;
type TxOptions = { maxWait?: number; timeout?: number };
// Only the named methods: a delegate's [symbol] "types" metadata states every input as a property,
// where the PostgreSQL client's wider inputs would not fit the SQLite client's.
type Delegate<M extends ModelKey> = Pick<Client[M], Exclude<keyof Client[M], symbol | "aggregate" | "groupBy">>;
export type Tx = { [M in ModelKey]: Delegate<M> } & Pick<
  Client,
  "$queryRaw" | "$executeRaw" | "$queryRawUnsafe" | "$executeRawUnsafe"
>;
export type Db = Tx &
  Pick<Client, "$connect" | "$disconnect"> & {
    $transaction<R>(work: (tx: Tx) => Promise<R>, options?: TxOptions): Promise<R>;
  };

// The URL each client was made for, for code that reads the same database with the driver itself.
const urls = new WeakMap<object, string>();

/** The database URL `db` was created with (createPrismaClient), if it was. */
export function databaseUrlOf(db: object): string | undefined {
  return urls.get(db);
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
    urls.set(client, url);
    // A Db as it is: its inputs accept more than the SQLite client's (insensitive mode, more
    // isolation levels), and lib/ writes only queries valid on both (the suite runs on both).
    const db: Db = client;
    return withCommitHooks(db);
  }
  // Writers in other processes are waited for (busy timeout) rather than failed at once;
  // WAL mode is set when the database is prepared. Every statement takes the one connection's
  // lock, so no request reads or writes inside another's transaction (sqlite-adapter.ts).
  const adapter = new SerializedSQLite3({ url, timeout: config().sqliteBusyTimeoutMs });
  const client = new PrismaClient({ adapter, log: [{ level: "query", emit: "event" }] });
  client.$on("query", countQueries);
  urls.set(client, url);
  const db: Db = client;
  return withCommitHooks(db);
}
