import { config } from "../config";
import { logError } from "../log";
import type { UsageRow, UsageWriter } from "./usage-writer";
import { flushCredits } from "../rate-limits/credit-ledger";

/**
 * Last-used times and daily request counts, gathered in memory and written in batches: at
 * most one write per key and day per flush interval instead of one per request, with the
 * driver (lib/verify/usage-writer.ts) in chunks that let requests run in between. The dashboard
 * shows a key's use within USAGE_FLUSH_MS (default 15 s, well inside the promised minute).
 * Pending counts are flushed on SIGTERM/SIGINT by the servers.
 */
export const USAGE_FLUSH_MS = config().usageFlushMs;
const CHUNK = 2_000;

type Counts = { success: number; failure: number; rateLimited: number; usageExceeded: number };
type Pending = { lastUsedAt: Date | null; days: Map<string, Counts> };
const zero = (): Counts => ({ success: 0, failure: 0, rateLimited: 0, usageExceeded: 0 });

const globalForUsage = globalThis as unknown as {
  keywardUsage?: { pending: Map<string, Pending>; timer: NodeJS.Timeout | null; writer: UsageWriter | null; flushing: Promise<void> | null };
};
const state = (globalForUsage.keywardUsage ??= { pending: new Map(), timer: null, writer: null, flushing: null });

// The UTC day of a use, computed once per day rather than once per request.
let today = { start: 0, end: 0, day: "" };
function utcDay(date: Date): string {
  const ms = date.getTime();
  if (ms < today.start || ms >= today.end) {
    const start = ms - (ms % 86_400_000);
    today = { start, end: start + 86_400_000, day: new Date(start).toISOString().slice(0, 10) };
  }
  return today.day;
}

function schedule() {
  if (state.timer) return;
  state.timer = setTimeout(() => void flushUsage(), USAGE_FLUSH_MS);
  state.timer.unref();
}

/** Records one request made with a key; `success` is false for a 403 (scope or IP). */
export function recordKeyUse(writer: UsageWriter, keyId: string, success: boolean, at = new Date()) {
  state.writer = writer;
  let entry = state.pending.get(keyId);
  if (!entry) state.pending.set(keyId, (entry = { lastUsedAt: null, days: new Map() }));
  if (success && (!entry.lastUsedAt || entry.lastUsedAt < at)) entry.lastUsedAt = at;
  const day = utcDay(at);
  const counts = entry.days.get(day) ?? zero();
  if (success) counts.success++;
  else counts.failure++;
  entry.days.set(day, counts);
  schedule();
}

/** Counts a refusal by the key's own limits (issue 13): counted per day, never audited. */
export function recordKeyRefusal(writer: UsageWriter, keyId: string, kind: "rateLimited" | "usageExceeded", at = new Date()) {
  state.writer = writer;
  let entry = state.pending.get(keyId);
  if (!entry) state.pending.set(keyId, (entry = { lastUsedAt: null, days: new Map() }));
  const day = utcDay(at);
  const counts = entry.days.get(day) ?? zero();
  counts[kind]++;
  entry.days.set(day, counts);
  schedule();
}

function toRows(batch: Map<string, Pending>): UsageRow[] {
  const rows: UsageRow[] = [];
  for (const [keyId, entry] of batch) {
    for (const [day, counts] of entry.days) rows.push({ keyId, day, ...counts, lastUsedAt: entry.lastUsedAt });
  }
  return rows;
}

/** Writes everything pending, chunk by chunk; what fails to write is kept for the next try. */
export async function flushUsage(): Promise<void> {
  // Credit spends (lib/rate-limits/credit-ledger.ts) ride on the same interval and shutdown.
  await flushCredits();
  if (state.flushing) await state.flushing;
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  const writer = state.writer;
  if (!writer || state.pending.size === 0) return;
  const rows = toRows(state.pending);
  state.pending = new Map();
  state.flushing = (async () => {
    let written = 0;
    try {
      while (written < rows.length) {
        const chunk = rows.slice(written, written + CHUNK);
        await writer.writeChunk(chunk);
        written += chunk.length;
        // Let waiting requests run between chunks.
        if (written < rows.length) await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      logError("usage flush failed; keeping counts for the next flush", error, { rows: rows.length - written });
      for (const row of rows.slice(written)) mergeBack(row);
      schedule();
    } finally {
      state.flushing = null;
    }
  })();
  await state.flushing;
}

function mergeBack(row: UsageRow) {
  let current = state.pending.get(row.keyId);
  if (!current) state.pending.set(row.keyId, (current = { lastUsedAt: null, days: new Map() }));
  if (row.lastUsedAt && (!current.lastUsedAt || current.lastUsedAt < row.lastUsedAt)) current.lastUsedAt = row.lastUsedAt;
  const c = current.days.get(row.day) ?? zero();
  current.days.set(row.day, {
    success: c.success + row.success,
    failure: c.failure + row.failure,
    rateLimited: c.rateLimited + row.rateLimited,
    usageExceeded: c.usageExceeded + row.usageExceeded,
  });
}
