import type { Db } from "../db/prisma";
import { logError } from "../log";

/**
 * Last-used times and daily request counts, gathered in memory and written in batches: at
 * most one write per key per flush interval instead of one per request. The dashboard shows a
 * key's use within USAGE_FLUSH_MS (default 15 s, well inside the promised minute). Pending
 * counts are flushed on SIGTERM/SIGINT by scripts/server.mjs.
 */
export const USAGE_FLUSH_MS = Number(process.env.KEYWARD_USAGE_FLUSH_MS ?? 15_000);

type Pending = { lastUsedAt: Date | null; days: Map<string, { success: number; failure: number }> };

const globalForUsage = globalThis as unknown as {
  keywardUsage?: { pending: Map<string, Pending>; timer: NodeJS.Timeout | null; db: Db | null; flushing: Promise<void> | null };
  __keywardShutdown?: () => Promise<void>;
};
const state = (globalForUsage.keywardUsage ??= { pending: new Map(), timer: null, db: null, flushing: null });

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Records one request made with a key; `success` is false for a 403 (scope or IP). */
export function recordKeyUse(db: Db, keyId: string, success: boolean, at = new Date()) {
  state.db = db;
  let entry = state.pending.get(keyId);
  if (!entry) state.pending.set(keyId, (entry = { lastUsedAt: null, days: new Map() }));
  if (success && (!entry.lastUsedAt || entry.lastUsedAt < at)) entry.lastUsedAt = at;
  const day = utcDay(at);
  const counts = entry.days.get(day) ?? { success: 0, failure: 0 };
  if (success) counts.success++;
  else counts.failure++;
  entry.days.set(day, counts);
  if (!state.timer) {
    state.timer = setTimeout(() => void flushUsage(), USAGE_FLUSH_MS);
    state.timer.unref();
  }
}

/** Writes everything pending in one transaction; what fails to write is kept for the next try. */
export async function flushUsage(): Promise<void> {
  if (state.flushing) await state.flushing;
  state.timer = null;
  const db = state.db;
  if (!db || state.pending.size === 0) return;
  const batch = state.pending;
  state.pending = new Map();
  state.flushing = (async () => {
    try {
      await db.$transaction(
        async (tx) => {
          for (const [keyId, entry] of batch) {
            if (entry.lastUsedAt) {
              // Never move last used backwards (another instance may have written a later time).
              await tx.apiKey.updateMany({
                where: { id: keyId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: entry.lastUsedAt } }] },
                data: { lastUsedAt: entry.lastUsedAt },
              });
            }
            for (const [day, counts] of entry.days) {
              await tx.apiKeyUsageDaily.upsert({
                where: { keyId_day: { keyId, day } },
                create: { keyId, day, successCount: counts.success, failureCount: counts.failure },
                update: { successCount: { increment: counts.success }, failureCount: { increment: counts.failure } },
              });
            }
          }
        },
        { maxWait: 15_000, timeout: 30_000 },
      );
    } catch (error) {
      logError("usage flush failed; keeping counts for the next flush", error, { keys: batch.size });
      for (const [keyId, entry] of batch) mergeBack(keyId, entry);
      if (!state.timer) {
        state.timer = setTimeout(() => void flushUsage(), USAGE_FLUSH_MS);
        state.timer.unref();
      }
    } finally {
      state.flushing = null;
    }
  })();
  await state.flushing;
}

function mergeBack(keyId: string, entry: Pending) {
  const current = state.pending.get(keyId);
  if (!current) {
    state.pending.set(keyId, entry);
    return;
  }
  if (entry.lastUsedAt && (!current.lastUsedAt || current.lastUsedAt < entry.lastUsedAt)) current.lastUsedAt = entry.lastUsedAt;
  for (const [day, counts] of entry.days) {
    const c = current.days.get(day) ?? { success: 0, failure: 0 };
    current.days.set(day, { success: c.success + counts.success, failure: c.failure + counts.failure });
  }
}

globalForUsage.__keywardShutdown = flushUsage;
