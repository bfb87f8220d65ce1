import pg from "pg";

/**
 * A pg pool that gives back the slot of a connection that dies while it is checked out.
 *
 * Why: @prisma/client 6.19.3 closes an interactive transaction by sending ROLLBACK (or COMMIT)
 * and only then calling the adapter's rollback(), which releases the connection. When the
 * backend has been terminated (pg_terminate_backend, a database restart, a cut network), that
 * ROLLBACK fails and rollback() is never called (client-engine-runtime's transaction manager,
 * `#closeTransaction`): the connection stays checked out for good. Three such transactions
 * used to fill a pool of three until a restart. Here a checked-out connection that errors or
 * ends is released at once with its error, so pg-pool destroys it and the slot is free; the
 * adapter's own later release() becomes a no-op instead of pg-pool's "released twice" throw.
 * tests/postgres/pool-recovery.test.ts terminates the backends of open transactions.
 */
export class DiscardingPool extends pg.Pool {
  connect(): Promise<pg.PoolClient>;
  connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: Error | boolean) => void) => void): void;
  connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: Error | boolean) => void) => void,
  ): Promise<pg.PoolClient> | void {
    const acquired = super.connect().then(guard);
    if (!callback) return acquired;
    acquired.then(
      (client) => callback(undefined, client, client.release),
      (error: Error) => callback(error, undefined, () => {}),
    );
  }
}

function guard(client: pg.PoolClient): pg.PoolClient {
  const release = client.release;
  let released = false;
  const onBroken = (error?: unknown) => {
    if (released) return;
    released = true;
    detach();
    release(error instanceof Error ? error : new Error("The database connection ended while checked out."));
  };
  const onEnd = () => onBroken();
  const detach = () => {
    client.removeListener("error", onBroken);
    client.removeListener("end", onEnd);
  };
  client.on("error", onBroken);
  client.on("end", onEnd);
  client.release = (error?: Error | boolean) => {
    if (released) return;
    released = true;
    detach();
    release(error);
  };
  return client;
}
