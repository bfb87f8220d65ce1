import { logError } from "../log";
import { increment } from "../metrics";
import type { CreditSpend, CreditWriter } from "./credit-writer";

/**
 * Credits spent but not yet written, per key, credit version and refill period, flushed with
 * the usage counts (lib/verify/usage.ts calls flushCredits on its interval and on SIGTERM): a
 * restart loses at most one flush interval of spends, a SIGTERM none. A spend stays counted
 * here until its write has committed, so a lookup that runs meanwhile subtracts it once more at
 * worst (refusing early, never late); the next lookup after the write is exact again.
 */
type Pending = CreditSpend;
type Ledger = { pending: Map<string, Pending>; older: Pending[]; writer: CreditWriter | null; flushing: Promise<void> | null };

// One entry per key (its current version and period), found without building a string per
// request; spends of an older version or period wait in `older` for the next flush.
const globalForLedger = globalThis as unknown as { keywardCreditLedger?: Ledger };
const ledger: Ledger = (globalForLedger.keywardCreditLedger ??= { pending: new Map(), older: [], writer: null, flushing: null });

const same = (p: Pending, version: number, period: string | null) => p.version === version && p.period === period;

function find(keyId: string, version: number, period: string | null): Pending | undefined {
  const entry = ledger.pending.get(keyId);
  if (entry && same(entry, version, period)) return entry;
  return ledger.older.find((p) => p.keyId === keyId && same(p, version, period));
}

export function setCreditWriter(writer: CreditWriter) {
  ledger.writer = writer;
}

export function recordSpend(keyId: string, version: number, period: string | null, cost: number) {
  const entry = ledger.pending.get(keyId);
  if (entry && same(entry, version, period)) {
    entry.spent += cost;
    return;
  }
  if (entry) ledger.older.push(entry);
  ledger.pending.set(keyId, { keyId, version, period, spent: cost });
}

export function pendingSpent(keyId: string, version: number, period: string | null): number {
  return find(keyId, version, period)?.spent ?? 0;
}

/** Writes every pending spend; what fails stays pending for the next flush. */
/** Spends not yet written (the shutdown flush retries until there are none). */
export function hasPendingCredits(): boolean {
  return ledger.pending.size > 0 || ledger.older.length > 0;
}

export async function flushCredits(): Promise<void> {
  if (ledger.flushing) await ledger.flushing;
  const writer = ledger.writer;
  if (!writer || (ledger.pending.size === 0 && ledger.older.length === 0)) return;
  const older = ledger.older;
  ledger.older = [];
  const batch = [...older, ...[...ledger.pending.values()].map((p) => ({ ...p }))];
  ledger.flushing = (async () => {
    try {
      await writer.write(batch);
      // Subtract what was written (more may have been spent meanwhile, or moved to `older`).
      for (const spend of batch.slice(older.length)) {
        const target = find(spend.keyId, spend.version, spend.period);
        if (!target) continue;
        target.spent -= spend.spent;
        if (target.spent > 0) continue;
        if (ledger.pending.get(spend.keyId) === target) ledger.pending.delete(spend.keyId);
        else ledger.older.splice(ledger.older.indexOf(target), 1);
      }
      increment("credits_flushed_total", batch.length);
    } catch (error) {
      ledger.older.push(...older);
      increment("credits_flush_failures_total");
      logError("credit flush failed; keeping spends for the next flush", error, { keys: batch.length });
    } finally {
      ledger.flushing = null;
    }
  })();
  await ledger.flushing;
}
