import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The adapter's own types, taken from it rather than from @prisma/driver-adapter-utils (a
// dependency of the adapter, not of Keyward).
type InnerFactory = PrismaBetterSQLite3;
type SqlDriverAdapter = Awaited<ReturnType<InnerFactory["connect"]>>;
type Transaction = Awaited<ReturnType<SqlDriverAdapter["startTransaction"]>>;
type SqlQuery = Parameters<SqlDriverAdapter["queryRaw"]>[0];
type IsolationLevel = Parameters<SqlDriverAdapter["startTransaction"]>[0];

/** A FIFO lock: acquire() resolves, in call order, with the function that releases it. */
class Lock {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => held);
    let released = false;
    return previous.then(() => () => {
      if (released) return;
      released = true;
      release();
    });
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/**
 * SQLite's LIKE has no escape character unless the statement names one; PostgreSQL's is the
 * backslash by default. Prisma's `contains` binds `%value%` to `LIKE ?` and escapes nothing, so
 * giving SQLite PostgreSQL's rule lets one escaping function (escapeLike) work on both.
 * Prisma parameterises every value, so `LIKE ?` appears only where Prisma wrote it.
 */
export function withLikeEscape(query: SqlQuery): SqlQuery {
  if (!query.sql.includes(" LIKE ?")) return query;
  return { ...query, sql: query.sql.replace(/ LIKE \?(?! ESCAPE)/g, " LIKE ? ESCAPE '\\'") };
}

const isCommit = (query: SqlQuery) => /^\s*COMMIT\b/i.test(query.sql);

/**
 * A transaction that gives the connection back when it ends. If COMMIT itself fails (for
 * example SQLITE_BUSY in rollback-journal mode), Prisma neither rolls back nor calls commit(),
 * which would leave the connection inside the transaction and the lock held forever
 * (prisma/prisma#29933): roll back and release here instead, then report the failure.
 */
class LockedTransaction {
  readonly provider: Transaction["provider"];
  readonly adapterName: string;
  readonly options: Transaction["options"];

  constructor(
    private readonly inner: Transaction,
    private readonly release: () => void,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    this.options = inner.options;
  }

  queryRaw(query: SqlQuery) {
    return this.inner.queryRaw(withLikeEscape(query));
  }

  async executeRaw(query: SqlQuery) {
    try {
      return await this.inner.executeRaw(withLikeEscape(query));
    } catch (error) {
      if (isCommit(query)) {
        await this.inner.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => {});
        await this.end("rollback");
      }
      throw error;
    }
  }

  commit() {
    return this.end("commit");
  }

  rollback() {
    return this.end("rollback");
  }

  private ended = false;

  private async end(how: "commit" | "rollback") {
    // Once only: after a failed COMMIT was rolled back here, a later rollback() is a no-op.
    if (this.ended) return;
    this.ended = true;
    try {
      await (how === "commit" ? this.inner.commit() : this.inner.rollback());
    } finally {
      this.release();
    }
  }
}

/**
 * The better-sqlite3 adapter has one connection, and its lock covers only interactive
 * transactions: a plain statement issued while another request's transaction is open (between
 * that transaction's awaits) ran inside it, so a read saw uncommitted rows and a write was
 * rolled back with someone else's transaction. Here every statement, not only transactions,
 * takes the connection's lock: a plain statement runs between transactions, on its own.
 *
 * Why not a second, read-only connection in WAL mode: writes would still need this lock, each
 * statement would have to be classified as read or write, and `:memory:` databases cannot be
 * shared. better-sqlite3 runs each statement synchronously, so a transaction holds the lock
 * only for its own statements and the awaits between them, which is what readers wait for.
 *
 * One consequence: inside a `$transaction` callback, use its `tx`. A statement on the client
 * itself waits for the transaction to end, so the callback stalls until the transaction's
 * timeout (PostgreSQL would run it on another connection, outside the transaction, too).
 */
class SerializedAdapter {
  readonly provider: SqlDriverAdapter["provider"];
  readonly adapterName: string;
  readonly #lock = new Lock();

  constructor(private readonly inner: SqlDriverAdapter) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery) {
    return this.#lock.run(() => this.inner.queryRaw(withLikeEscape(query)));
  }

  executeRaw(query: SqlQuery) {
    return this.#lock.run(() => this.inner.executeRaw(withLikeEscape(query)));
  }

  executeScript(script: string) {
    return this.#lock.run(() => this.inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const release = await this.#lock.acquire();
    try {
      return new LockedTransaction(await this.inner.startTransaction(isolationLevel), release);
    } catch (error) {
      release();
      throw error;
    }
  }

  dispose() {
    return this.inner.dispose();
  }
}

/** The better-sqlite3 adapter factory, with every statement serialized on its one connection. */
export class SerializedSQLite3 {
  readonly provider = "sqlite" as const;
  readonly adapterName: string;
  readonly #inner: InnerFactory;

  constructor(...args: ConstructorParameters<typeof PrismaBetterSQLite3>) {
    this.#inner = new PrismaBetterSQLite3(...args);
    this.adapterName = this.#inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return new SerializedAdapter(await this.#inner.connect());
  }
}
