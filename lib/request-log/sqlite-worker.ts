import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { RequestLogEntry, RequestLogWriter } from "./types";

/**
 * SQLite's request log writes, in a worker thread with a better-sqlite3 connection of its own on
 * the same file (WAL). An INSERT into RequestLog and its five indexes costs about 30 us per row
 * (5 us without the indexes): on the event loop that was a quarter of a busy verifier's time
 * (log on / off 0.77, issue 15). The main thread keeps the bound, the counters and the flush
 * timer (buffer.ts), and hands the entries over every few ms through `handOff`, each batch as one
 * flat array of column values, not one object per entry: the worker holds them until written, so
 * that none is promoted on the main thread's heap (issue 12). Pruning runs here too, so a batch
 * of deletes and its checkpoint never hold the event loop.
 *
 * The worker's commits are another connection's to the lookup's (PRAGMA data_version moves), but
 * RequestLog has no key change trigger, so they do not empty the key cache (lookup.ts).
 *
 * The worker's code is a string (eval): it then runs the same from source (vitest, tsx), from
 * dist/server/*.mjs (esbuild) and inside Next's server bundle, with no file of its own to emit and
 * find at run time. It needs only the driver, whose path the main thread resolves.
 */
// via: "token" exactly when tokenId is set (the key page's Key / Token filter, its own index).
const COLUMNS = `"tenantId", "keyId", "tokenId", "at", "requestId", "outcome", "clientIp", "method", "path", "userAgent", "source", "via"`;
const WIDTH = 12;
const AT = 3;
// Rows per transaction: each one holds SQLite's write lock for about 15 ms (500 x 30 us), so
// that the verifier's usage flushes (which never wait for the lock) and the dashboard's writes
// (which do) find it free again soon.
const ROWS_PER_TRANSACTION = 500;
// How long the worker waits for the write lock: a wait here blocks no request. Short, so that a
// database locked for long fails the flush (its entries stay buffered) instead of holding it.
const WORKER_BUSY_MS = 250;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const { file, busyTimeout, rowsPerTransaction, width, at } = workerData;
const sqliteDate = (ms) => new Date(ms).toISOString().replace("Z", "+00:00");
let db = null;
let statements = new Map();
function open() {
  if (db) return db;
  db = new Database(file, { fileMustExist: true, timeout: busyTimeout });
  db.pragma("cache_size = -2000");
  statements = new Map();
  return db;
}
function insertFor(rows) {
  let statement = statements.get(rows);
  if (!statement) {
    const values = Array.from({ length: rows }, () => "(" + Array(width).fill("?").join(", ") + ")").join(", ");
    statement = db.prepare('INSERT INTO "RequestLog" (${COLUMNS}) VALUES ' + values);
    if (statements.size > 4) statements.clear();
    statements.set(rows, statement);
  }
  return statement;
}
// Commits params (rows x width values, "at" as epoch ms) in transactions of at most
// rowsPerTransaction rows, and checkpoints what they added to the WAL. On failure, error.written
// says how many rows were committed (whole transactions).
function insert(params) {
  const total = params.length / width;
  let written = 0;
  try {
    while (written < total) {
      const rows = Math.min(rowsPerTransaction, total - written);
      written += commit(rows === total ? params : params.slice(written * width, (written + rows) * width), rows);
    }
    checkpoint(written);
    return written;
  } catch (error) {
    error.written = written;
    throw error;
  }
}
function commit(params, rows) {
  for (let i = at; i < params.length; i += width) params[i] = sqliteDate(params[i]);
  open();
  const statement = insertFor(rows);
  db.transaction(() => statement.run(params)).immediate();
  return rows;
}
// Checkpointed here (PASSIVE: never waits for readers), so that the WAL these inserts grew is
// not left to the automatic checkpoint of whichever connection commits next: on the verifier's
// own connection that would run on the event loop.
function checkpoint(written) {
  if (written > 0) db.pragma("wal_checkpoint(PASSIVE)");
}

// The hand-off (buffer.ts): entries arrive every few ms as flat arrays ("append") and wait here,
// in order, in their arrays. Each whole transaction's worth is committed at once; the rest waits
// for the main thread's flush (its timer, or shutdown). A failed commit keeps its rows, and no
// more is tried before the next flush, so that a locked database is not retried on every append.
const held = [];
let head = 0; // values of held[0] already written
let heldRows = 0;
let paused = false;
function take(rows) {
  const out = new Array(rows * width);
  for (let o = 0, c = 0, from = head; o < out.length; c++, from = 0) {
    const chunk = held[c];
    const end = Math.min(chunk.length, from + out.length - o);
    for (let i = from; i < end; i++) out[o++] = chunk[i];
  }
  return out;
}
function forget(rows) {
  heldRows -= rows;
  for (let n = rows * width; n > 0; ) {
    const left = held[0].length - head;
    if (n < left) {
      head += n;
      return;
    }
    held.shift();
    head = 0;
    n -= left;
  }
}
// Whole transactions (with everything: the rest too); rows written, or error.written on failure.
function writeHeld(everything) {
  let written = 0;
  try {
    while (heldRows >= rowsPerTransaction || (everything && heldRows > 0)) {
      const rows = Math.min(rowsPerTransaction, heldRows);
      written += commit(take(rows), rows);
      forget(rows);
    }
    checkpoint(written);
    return written;
  } catch (error) {
    error.written = written;
    throw error;
  }
}
function prune(before, limit) {
  open();
  const statement = db.prepare('DELETE FROM "RequestLog" WHERE "id" IN (SELECT "id" FROM "RequestLog" WHERE "at" < ? ORDER BY "at" LIMIT ?)');
  const deleted = db.transaction(() => statement.run(sqliteDate(before), limit).changes).immediate();
  // Each batch's pages are checkpointed at once (PASSIVE: never waits for readers), so that no
  // commit (the verifier's own, on the event loop) meets the automatic checkpoint of a thousand
  // pages of deletes.
  if (deleted > 0) db.pragma("wal_checkpoint(PASSIVE)");
  return deleted;
}
function failed(id, error) {
  const busy = error && (error.code === "SQLITE_BUSY" || error.code === "SQLITE_LOCKED");
  // A connection that failed otherwise (file gone, disk error) is opened again next time.
  if (!busy && db) {
    try { db.close(); } catch {}
    db = null;
  }
  return { id, ok: false, message: String(error && error.message), code: error && error.code, written: (error && error.written) || 0 };
}
// A write of held rows, the flush's (id) or one of its own (id 0): reported either way.
function writeAndReport(id, everything) {
  try {
    const written = writeHeld(everything);
    if (id || written > 0) parentPort.postMessage({ id, ok: true, value: written });
  } catch (error) {
    paused = true;
    parentPort.postMessage(failed(id, error));
  }
}
parentPort.on("message", (m) => {
  if (m.type === "append") {
    held.push(m.params);
    heldRows += m.params.length / width;
    if (!paused && heldRows >= rowsPerTransaction) writeAndReport(0, false);
    return;
  }
  if (m.type === "flush") {
    paused = false;
    return writeAndReport(m.id, true);
  }
  try {
    const value = m.type === "insert" ? insert(m.params) : prune(m.before, m.limit);
    parentPort.postMessage({ id: m.id, ok: true, value });
  } catch (error) {
    parentPort.postMessage(failed(m.id, error));
  }
});
`;

/** better-sqlite3's entry file, for the worker's require (an eval worker resolves from the cwd). */
function driverPath(): string {
  const bases = [import.meta.url, pathToFileURL(path.join(process.cwd(), "package.json")).href];
  for (const base of bases) {
    try {
      return createRequire(base).resolve("better-sqlite3");
    } catch {
      // next base
    }
  }
  return "better-sqlite3";
}

/** A failed chunk: `written` rows of it were committed before the failure (whole transactions). */
export class RequestLogWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly written: number,
  ) {
    super(message);
  }
}

type Reply = { id: number; ok: boolean; value?: number; message?: string; code?: string; written?: number };
type Waiting = { resolve: (value: number) => void; reject: (error: Error) => void };
type Message =
  | { type: "insert"; params: unknown[] }
  | { type: "prune"; before: number; limit: number }
  | { type: "append"; params: unknown[] }
  | { type: "flush" };

/** One flat array of column values for `entries`, in COLUMNS' order. */
function flatten(entries: RequestLogEntry[]): unknown[] {
  const params: unknown[] = new Array(entries.length * WIDTH);
  let i = 0;
  for (const e of entries) {
    params[i++] = e.tenantId;
    params[i++] = e.keyId;
    params[i++] = e.tokenId;
    params[i++] = e.at;
    params[i++] = e.requestId;
    params[i++] = e.outcome;
    params[i++] = e.clientIp;
    params[i++] = e.method;
    params[i++] = e.path;
    params[i++] = e.userAgent;
    params[i++] = e.source;
    params[i++] = e.tokenId === null ? "key" : "token";
  }
  return params;
}

export function sqliteWorkerRequestLogWriter(file: string, busyTimeout: number): RequestLogWriter {
  type Running = { thread: Worker; waiting: Map<number, Waiting> };
  let current: Running | null = null;
  let closed = false;
  let nextId = 1;
  // The hand-off's rows in the worker, not yet written; and who hears of each write (buffer.ts).
  let held = 0;
  let flushId = 0;
  let report: (written: number, error?: Error, lost?: number) => void = () => {};
  const reported = (reply: Reply) => {
    const written = (reply.ok ? reply.value : reply.written) ?? 0;
    held -= written;
    report(written, reply.ok ? undefined : new RequestLogWriteError(reply.message ?? "request log write failed", reply.code, written));
  };
  const start = (): Running => {
    const waiting = new Map<number, Waiting>();
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver: driverPath(), busyTimeout: Math.min(busyTimeout, WORKER_BUSY_MS), rowsPerTransaction: ROWS_PER_TRANSACTION, width: WIDTH, at: AT },
    });
    // Referenced only while a write is under way: an idle worker never keeps the process alive,
    // and a flush on shutdown is not cut short by the process exiting under it.
    w.unref();
    w.on("message", (reply: Reply) => {
      // The hand-off's writes: the worker's own (id 0) and the flushes'.
      if (reply.id === 0 || reply.id === flushId) reported(reply);
      const entry = waiting.get(reply.id);
      if (!entry) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) w.unref();
      if (reply.ok) entry.resolve(reply.value ?? 0);
      else entry.reject(new RequestLogWriteError(reply.message ?? "request log write failed", reply.code, reply.written ?? 0));
    });
    const fail = (error: Error) => {
      if (current?.thread !== w) return;
      current = null;
      // What the stopped thread held is gone with it.
      const lost = held;
      held = 0;
      // A close (the lookup's) is no failed write; a thread that died is.
      if (lost > 0 || !closed) report(0, closed ? undefined : error, lost);
      for (const entry of waiting.values()) entry.reject(error);
      waiting.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`the request log's worker stopped (exit code ${code})`)));
    return { thread: w, waiting };
  };
  const send = (message: Message, id = 0) => {
    const running = (current ??= start());
    running.thread.postMessage({ ...message, id });
    return running;
  };
  const call = (message: Message) =>
    new Promise<number>((resolve, reject) => {
      // A closed lookup's buffer (a test's database gone) must not start a worker again.
      if (closed) return reject(new Error("the request log's writer is closed"));
      const id = nextId++;
      if (message.type === "flush") flushId = id;
      const running = send(message, id);
      running.waiting.set(id, { resolve, reject });
      running.thread.ref();
    });
  return {
    async insert(entries: RequestLogEntry[]) {
      if (entries.length === 0) return;
      await call({ type: "insert", params: flatten(entries) });
    },
    prune: (before, limit) => call({ type: "prune", before: before.getTime(), limit }),
    handOff: {
      push(entries) {
        if (entries.length === 0) return;
        if (closed) return report(0, new Error("the request log's writer is closed"), entries.length);
        held += entries.length;
        send({ type: "append", params: flatten(entries) });
      },
      async flush() {
        if (held === 0 || closed) return;
        // Its outcome reaches the listener with the reply; a stopped thread's, through `fail`.
        await call({ type: "flush" }).catch(() => {});
      },
      held: () => held,
      listen(listener) {
        report = listener;
      },
    },
    async close() {
      const stopping = current?.thread;
      closed = true;
      if (stopping) await stopping.terminate();
      current = null;
    },
  };
}
