import { config } from "../config";
import { logError } from "../log";
import { performance } from "node:perf_hooks";
import { increment, setGauge } from "../metrics";
import type { RequestLogEntry, RequestLogWriter } from "./types";
import { RequestLogWriteError } from "./sqlite-worker";

/**
 * The request log's buffer: verify() appends one small object per verification of a known key
 * (no write on the request), and a timer writes what gathered every KEYWARD_REQUEST_LOG_FLUSH_MS
 * in chunks, one multi-row INSERT each, yielding to requests between chunks. Bounded at
 * KEYWARD_REQUEST_LOG_BUFFER entries: when full (the database has been away a long time, or
 * ingest outruns the writer) new entries are dropped and counted (request_log_dropped_total in
 * /api/metrics). A failed flush keeps its entries, in order, and the next flush writes them.
 * Process-wide (globalThis), like the usage buffers: Next's bundles and node:http share it.
 */
export const REQUEST_LOG_CHUNK = 2_000;
// How often the retention is enforced, and in how small steps (each a short transaction).
const PRUNE_EVERY_MS = 10 * 60_000;
export const PRUNE_BATCH = 1_000;
// Each batch's size adapts to keep one batch near PRUNE_TARGET_MS (on SQLite it holds the write
// lock, in the request log's worker thread, on PostgreSQL a pool connection): halved when one takes longer, doubled when much shorter.
// 10 ms leaves room under the 50 ms ceiling for a batch that meets a busy disk or a busy CPU.
export const PRUNE_TARGET_MS = 10;
export const PRUNE_MIN = 50;
export const PRUNE_MAX = 2_000;

type State = {
  entries: RequestLogEntry[];
  writer: RequestLogWriter | null;
  timer: NodeJS.Timeout | null;
  pruneTimer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
  pruning: Promise<number> | null;
};
const globalForLog = globalThis as unknown as { keywardRequestLog?: State };
const state = (globalForLog.keywardRequestLog ??= { entries: [], writer: null, timer: null, pruneTimer: null, flushing: null, pruning: null });

const yieldToRequests = () => new Promise((resolve) => setImmediate(resolve));

function schedule() {
  if (state.timer) return;
  state.timer = setTimeout(() => void flushRequestLog(), config().requestLogFlushMs);
  state.timer.unref();
  if (!state.pruneTimer) {
    state.pruneTimer = setInterval(() => void pruneRequestLog().catch(() => {}), PRUNE_EVERY_MS);
    state.pruneTimer.unref();
  }
}

/** Appends one entry; never waits and never throws. */
export function recordRequest(writer: RequestLogWriter, entry: RequestLogEntry) {
  if (state.writer !== writer) {
    // Another database's writer (one verifier per process in production; a test's fresh
    // database): what the previous one had pending belongs to its database, not this one's.
    if (state.entries.length > 0) increment("request_log_dropped_total", state.entries.length);
    state.entries = [];
    state.writer = writer;
  }
  if (state.entries.length >= config().requestLogBuffer) {
    increment("request_log_dropped_total");
    return;
  }
  state.entries.push(entry);
  schedule();
}

export function pendingRequestLogEntries(): number {
  return state.entries.length;
}

/** Writes everything buffered; what fails to write goes back in front of newer entries. */
export async function flushRequestLog(): Promise<void> {
  if (state.flushing) await state.flushing;
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  const writer = state.writer;
  if (!writer || state.entries.length === 0) return;
  const batch = state.entries;
  state.entries = [];
  state.flushing = (async () => {
    let written = 0;
    try {
      while (written < batch.length) {
        const chunk = batch.slice(written, written + REQUEST_LOG_CHUNK);
        await writer.insert(chunk);
        written += chunk.length;
        increment("request_log_written_total", chunk.length);
        if (written < batch.length) await yieldToRequests();
      }
    } catch (error) {
      // SQLite's worker commits a chunk in smaller transactions: those it committed are written.
      if (error instanceof RequestLogWriteError) {
        written += error.written;
        increment("request_log_written_total", error.written);
      }
      increment("request_log_flush_failures_total");
      logError("request log flush failed; keeping entries for the next flush", error, { entries: batch.length - written });
      const kept = batch.slice(written).concat(state.entries);
      const capacity = config().requestLogBuffer;
      if (kept.length > capacity) {
        increment("request_log_dropped_total", kept.length - capacity);
        kept.length = capacity;
      }
      state.entries = kept;
      schedule();
    } finally {
      setGauge("request_log_pending", state.entries.length);
      state.flushing = null;
    }
  })();
  await state.flushing;
}

/**
 * Deletes entries older than the retention in small batches (PRUNE_BATCH to start, then sized
 * to take about PRUNE_TARGET_MS each) with a pause for requests in between, so that pruning a
 * million expired entries never holds the database for long. On SQLite it runs in the request
 * log's worker thread: the event loop waits for it only through the write lock, which the
 * verifier's own usage and credit writes never wait for (busy timeout 0).
 * Resolves how many it deleted. One run at a time per process.
 */
export function pruneRequestLog(now = Date.now(), writer = state.writer): Promise<number> {
  if (!writer) return Promise.resolve(0);
  if (state.pruning) return state.pruning;
  const before = new Date(now - config().requestLogRetentionDays * 86_400_000);
  state.pruning = (async () => {
    let total = 0;
    try {
      let size = PRUNE_BATCH;
      for (;;) {
        const started = performance.now();
        const deleted = await writer.prune(before, size);
        const took = performance.now() - started;
        total += deleted;
        if (deleted < size) return total;
        if (took > PRUNE_TARGET_MS) size = Math.max(PRUNE_MIN, Math.floor(size / 2));
        else if (took < PRUNE_TARGET_MS / 4) size = Math.min(PRUNE_MAX, size * 2);
        // Not urgent: a short pause lets waiting requests (and the flushes) run first.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } catch (error) {
      logError("request log pruning stopped; the next run continues", error, { deleted: total });
      return total;
    } finally {
      increment("request_log_pruned_total", total);
      state.pruning = null;
    }
  })();
  return state.pruning;
}
