/**
 * Work that must happen only once a transaction has committed, e.g. a log line saying that a
 * signed audit checkpoint exists: logged inside the transaction, a rollback would leave a log
 * line for a checkpoint that never was, and an auditor would take that for tampering.
 *
 * `withCommitHooks` wraps a client's interactive `$transaction`; code that only holds the
 * transaction (`tx`) registers with `afterCommit(tx, fn)`. The hooks run after COMMIT, in order,
 * and are dropped on rollback. A `tx` that did not come from a wrapped client (none in Keyward)
 * runs the hook at once.
 */
const pending = new WeakMap<object, (() => void)[]>();

export function afterCommit(tx: object, hook: () => void): void {
  const hooks = pending.get(tx);
  if (hooks) hooks.push(hook);
  else hook();
}

type TransactionFn = (...args: unknown[]) => Promise<unknown>;

export function withCommitHooks<T extends object>(client: T): T {
  const target = client as unknown as { $transaction: TransactionFn };
  const original = target.$transaction.bind(client);
  target.$transaction = async (work: unknown, ...rest: unknown[]) => {
    // Batch transactions (an array of queries) hold no code that could register a hook.
    if (typeof work !== "function") return original(work, ...rest);
    const hooks: (() => void)[] = [];
    const result = await original(async (tx: object) => {
      pending.set(tx, hooks);
      return (work as (tx: object) => unknown)(tx);
    }, ...rest);
    for (const hook of hooks) {
      try {
        hook();
      } catch (error) {
        console.error(JSON.stringify({ level: "error", time: new Date().toISOString(), message: "after-commit hook failed", error: String(error) }));
      }
    }
    return result;
  };
  return client;
}
