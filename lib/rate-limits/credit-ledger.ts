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

const globalForLedger = globalThis as unknown as {
  keywardCreditLedger?: { pending: Map<string, Pending>; writer: CreditWriter | null; flushing: Promise<void> | null };
};
const ledger = (globalForLedger.keywardCreditLedger ??= { pending: new Map(), writer: null, flushing: null });

const idOf = (keyId: string, version: number, period: string | null) => `${keyId}|${version}|${period ?? ""}`;

export function setCreditWriter(writer: CreditWriter) {
  ledger.writer = writer;
}

export function recordSpend(keyId: string, version: number, period: string | null, cost: number) {
  const id = idOf(keyId, version, period);
  const entry = ledger.pending.get(id);
  if (entry) entry.spent += cost;
  else ledger.pending.set(id, { keyId, version, period, spent: cost });
}

export function pendingSpent(keyId: string, version: number, period: string | null): number {
  return ledger.pending.get(idOf(keyId, version, period))?.spent ?? 0;
}

export function pendingCreditCount(): number {
  return ledger.pending.size;
}

/** Writes every pending spend; what fails stays pending for the next flush. */
export async function flushCredits(): Promise<void> {
  if (ledger.flushing) await ledger.flushing;
  const writer = ledger.writer;
  if (!writer || ledger.pending.size === 0) return;
  const batch = [...ledger.pending.values()].map((p) => ({ ...p }));
  ledger.flushing = (async () => {
    try {
      await writer.write(batch);
      // Subtract what was written (more may have been spent meanwhile).
      for (const spend of batch) {
        const id = idOf(spend.keyId, spend.version, spend.period);
        const entry = ledger.pending.get(id);
        if (!entry) continue;
        entry.spent -= spend.spent;
        if (entry.spent <= 0) ledger.pending.delete(id);
      }
      increment("credits_flushed_total", batch.length);
    } catch (error) {
      increment("credits_flush_failures_total");
      logError("credit flush failed; keeping spends for the next flush", error, { keys: batch.length });
    } finally {
      ledger.flushing = null;
    }
  })();
  await ledger.flushing;
}
