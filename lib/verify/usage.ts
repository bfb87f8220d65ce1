import { config } from "../config";
import { logError } from "../log";
import type { UsageRow, UsageWriter } from "./usage-writer";
import { flushCredits, hasPendingCredits } from "../rate-limits/credit-ledger";
import { flushRequestLog, pendingRequestLogEntries } from "../request-log/buffer";

/**
 * Last-used times and daily request counts, gathered in memory and written in batches: at
 * most one write per key and day per flush interval instead of one per request, with the
 * driver (lib/verify/usage-writer.ts) in chunks that let requests run in between. The dashboard
 * shows a key's use within USAGE_FLUSH_MS (default 15 s, well inside the promised minute).
 * Root keys' last use is gathered the same way. Pending counts are flushed on SIGTERM/SIGINT by
 * the servers.
 */
export const USAGE_FLUSH_MS = config().usageFlushMs;
const CHUNK = 2_000;

// One small record per key with uses since the last flush (100,000 keys in rotation make
// 100,000 of them): the counts of one day inline, and only the rare uses of another day (a flush
// interval across midnight, a caller's own `now`) in `others`. Times are epoch milliseconds.
// rateLimited and usageExceeded: refusals by the key's own limits (issue 13), counted per day.
type Tally = { success: number; failure: number; rateLimited: number; usageExceeded: number };
type Counts = Tally & { day: string };
// previousUsedAt: the last success with the previous secret of a rotation overlap (0: none).
type Pending = Counts & { lastUsedAt: number; previousUsedAt: number; others: Counts[] | null };

const globalForUsage = globalThis as unknown as {
  keywardUsage?: {
    pending: Map<string, Pending>;
    roots: Map<string, number>;
    tokens: Map<string, number>;
    timer: NodeJS.Timeout | null;
    writer: UsageWriter | null;
    flushing: Promise<void> | null;
  };
};
const state = (globalForUsage.keywardUsage ??= { pending: new Map(), roots: new Map(), tokens: new Map(), timer: null, writer: null, flushing: null });
// Older processes' state (a hot reload in development) had no root-key or token map.
state.roots ??= new Map();
state.tokens ??= new Map();

// The UTC day of a use, computed once per day rather than once per request.
let today = { start: 0, end: 0, day: "" };
function utcDay(ms: number): string {
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

function count(entry: Pending, day: string, add: Tally) {
  const counts = entry.day === day ? entry : (entry.others ??= []).find((c) => c.day === day);
  if (!counts) {
    entry.others!.push({ day, ...add });
    return;
  }
  counts.success += add.success;
  counts.failure += add.failure;
  counts.rateLimited += add.rateLimited;
  counts.usageExceeded += add.usageExceeded;
}

const SUCCESS: Tally = { success: 1, failure: 0, rateLimited: 0, usageExceeded: 0 };
const FAILURE: Tally = { success: 0, failure: 1, rateLimited: 0, usageExceeded: 0 };
const RATE_LIMITED: Tally = { success: 0, failure: 0, rateLimited: 1, usageExceeded: 0 };
const USAGE_EXCEEDED: Tally = { success: 0, failure: 0, rateLimited: 0, usageExceeded: 1 };

function tally(keyId: string, day: string, add: Tally, lastUsedAt: number, previousUsedAt = 0) {
  const entry = state.pending.get(keyId);
  if (!entry) {
    // Fields written out in one fixed order, no spread of `add`: one object shape for every
    // record, made without a copy loop (100,000 keys in rotation make one per request).
    const created: Pending = {
      day,
      success: add.success,
      failure: add.failure,
      rateLimited: add.rateLimited,
      usageExceeded: add.usageExceeded,
      lastUsedAt,
      previousUsedAt,
      others: null,
    };
    state.pending.set(keyId, created);
    return;
  }
  if (entry.lastUsedAt < lastUsedAt) entry.lastUsedAt = lastUsedAt;
  if (entry.previousUsedAt < previousUsedAt) entry.previousUsedAt = previousUsedAt;
  count(entry, day, add);
}

/**
 * Records one request made with a key; `success` is false for a 403 (scope or IP). `previous`:
 * it came with the previous secret of a rotation overlap, whose last use the list shows too.
 */
export function recordKeyUse(writer: UsageWriter, keyId: string, success: boolean, at: Date | number = Date.now(), previous = false) {
  state.writer = writer;
  const ms = typeof at === "number" ? at : at.getTime();
  tally(keyId, utcDay(ms), success ? SUCCESS : FAILURE, success ? ms : 0, success && previous ? ms : 0);
  schedule();
}

/** Records a request a signed token authenticated (its jti's last-used time only, like root keys). */
export function recordTokenUse(writer: UsageWriter, jti: string, at: number = Date.now()) {
  state.writer = writer;
  if ((state.tokens.get(jti) ?? 0) < at) state.tokens.set(jti, at);
  schedule();
}

/** Counts a refusal by the key's own limits (issue 13): counted per day, never audited. */
export function recordKeyRefusal(writer: UsageWriter, keyId: string, kind: "rateLimited" | "usageExceeded", at: Date | number = Date.now()) {
  state.writer = writer;
  const ms = typeof at === "number" ? at : at.getTime();
  tally(keyId, utcDay(ms), kind === "rateLimited" ? RATE_LIMITED : USAGE_EXCEEDED, 0);
  schedule();
}

/** Records a request a root key authenticated (its last-used time only). */
export function recordRootKeyUse(writer: UsageWriter, rootKeyId: string, at: number = Date.now()) {
  state.writer = writer;
  if ((state.roots.get(rootKeyId) ?? 0) < at) state.roots.set(rootKeyId, at);
  schedule();
}

function toRows(batch: Map<string, Pending>): UsageRow[] {
  const rows: UsageRow[] = [];
  for (const [keyId, entry] of batch) {
    const lastUsedAt = entry.lastUsedAt > 0 ? new Date(entry.lastUsedAt) : null;
    // The previous secret's use rides on the first row of the key only.
    let previousUsedAt = entry.previousUsedAt > 0 ? new Date(entry.previousUsedAt) : null;
    // The day inline first, then the rare others (no array made for the common entry).
    const others = entry.others;
    for (let i = -1; i < (others === null ? 0 : others.length); i++) {
      const c: Counts = i === -1 ? entry : others![i];
      if (c.success + c.failure + c.rateLimited + c.usageExceeded === 0) continue;
      const { success, failure, rateLimited, usageExceeded } = c;
      rows.push({ keyId, day: c.day, success, failure, rateLimited, usageExceeded, lastUsedAt, previousUsedAt });
      previousUsedAt = null;
    }
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
  if (!writer || (state.pending.size === 0 && state.roots.size === 0 && state.tokens.size === 0)) return;
  const rows = toRows(state.pending);
  const roots = [...state.roots].map(([rootKeyId, at]) => ({ rootKeyId, lastUsedAt: new Date(at) }));
  const tokens = [...state.tokens].map(([jti, at]) => ({ jti, lastUsedAt: new Date(at) }));
  state.pending = new Map();
  state.roots = new Map();
  state.tokens = new Map();
  state.flushing = (async () => {
    let written = 0;
    try {
      if (roots.length > 0) await writer.writeRootKeyUse(roots);
      roots.length = 0;
      // Live tokens are bounded by the tenants' key limits: one statement or transaction.
      if (tokens.length > 0) await writer.writeTokenUse(tokens);
      tokens.length = 0;
      while (written < rows.length) {
        const chunk = rows.slice(written, written + CHUNK);
        await writer.writeChunk(chunk);
        written += chunk.length;
        // Let waiting requests run between chunks.
        if (written < rows.length) await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      logError("usage flush failed; keeping counts for the next flush", error, { rows: rows.length - written, rootKeys: roots.length });
      for (const row of rows.slice(written)) mergeBack(row);
      for (const root of roots) recordRootKeyUse(writer, root.rootKeyId, root.lastUsedAt.getTime());
      for (const token of tokens) recordTokenUse(writer, token.jti, token.lastUsedAt.getTime());
      schedule();
    } finally {
      state.flushing = null;
    }
  })();
  await state.flushing;
}

/**
 * At shutdown: flush until nothing is pending. A flush never waits for SQLite's write lock (it
 * would block requests), so when another process holds it for a moment (two instances stopping
 * at once) the flush fails and keeps its rows; here, with no requests left to serve, it tries
 * again until the lock is free, for at most `deadlineMs`.
 */
export async function flushUsageBeforeExit(deadlineMs = 5_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    await flushUsage();
    // The request log (lib/request-log/) stops with the usage counts.
    await flushRequestLog();
    const pending =
      state.pending.size > 0 || state.roots.size > 0 || state.tokens.size > 0 || hasPendingCredits() || pendingRequestLogEntries() > 0;
    if (!pending || Date.now() >= until) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function mergeBack(row: UsageRow) {
  const { success, failure, rateLimited, usageExceeded } = row;
  tally(row.keyId, row.day, { success, failure, rateLimited, usageExceeded }, row.lastUsedAt?.getTime() ?? 0, row.previousUsedAt?.getTime() ?? 0);
}
