import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { RequestLogEntry, RequestLogWriter } from "./types";

/**
 * SQLite's request log writes, in a worker thread with a better-sqlite3 connection of its own on
 * the same file (WAL). An INSERT into RequestLog and its five indexes costs about 30 us per row
 * (5 us without the indexes): on the event loop that was a quarter of a busy verifier's time
 * (log on / off 0.77, issue 15). The main thread keeps the buffer, the dropped count and the
 * batching (buffer.ts); each chunk crosses as one flat array of column values, not one object
 * per entry. Pruning runs here too, so a batch of deletes and its checkpoint never hold the
 * event loop.
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
// Whole transactions of rowsPerTransaction rows: on failure, how many rows were committed.
function insert(params) {
  const total = params.length / width;
  for (let i = at; i < params.length; i += width) params[i] = sqliteDate(params[i]);
  let written = 0;
  try {
    open();
    while (written < total) {
      const rows = Math.min(rowsPerTransaction, total - written);
      const slice = rows === total ? params : params.slice(written * width, (written + rows) * width);
      const statement = insertFor(rows);
      db.transaction(() => statement.run(slice)).immediate();
      written += rows;
    }
    // Checkpointed here (PASSIVE: never waits for readers), so that the WAL these inserts grew
    // is not left to the automatic checkpoint of whichever connection commits next: on the
    // verifier's own connection that would run on the event loop.
    db.pragma("wal_checkpoint(PASSIVE)");
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
parentPort.on("message", (m) => {
  try {
    const value = m.type === "insert" ? insert(m.params) : prune(m.before, m.limit);
    parentPort.postMessage({ id: m.id, ok: true, value });
  } catch (error) {
    const busy = error && (error.code === "SQLITE_BUSY" || error.code === "SQLITE_LOCKED");
    // A connection that failed otherwise (file gone, disk error) is opened again next time.
    if (!busy && db) {
      try { db.close(); } catch {}
      db = null;
    }
    parentPort.postMessage({ id: m.id, ok: false, message: String(error && error.message), code: error && error.code, written: (error && error.written) || 0 });
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

export function sqliteWorkerRequestLogWriter(file: string, busyTimeout: number): RequestLogWriter {
  type Running = { thread: Worker; waiting: Map<number, Waiting> };
  let current: Running | null = null;
  let closed = false;
  let nextId = 1;
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
      const entry = waiting.get(reply.id);
      if (!entry) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) w.unref();
      if (reply.ok) entry.resolve(reply.value ?? 0);
      else entry.reject(new RequestLogWriteError(reply.message ?? "request log write failed", reply.code, reply.written ?? 0));
    });
    const fail = (error: Error) => {
      if (current?.thread === w) current = null;
      for (const entry of waiting.values()) entry.reject(error);
      waiting.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`the request log's worker stopped (exit code ${code})`)));
    return { thread: w, waiting };
  };
  const call = (message: { type: "insert"; params: unknown[] } | { type: "prune"; before: number; limit: number }) =>
    new Promise<number>((resolve, reject) => {
      // A closed lookup's buffer (a test's database gone) must not start a worker again.
      if (closed) return reject(new Error("the request log's writer is closed"));
      const running = (current ??= start());
      const id = nextId++;
      running.waiting.set(id, { resolve, reject });
      running.thread.ref();
      running.thread.postMessage({ ...message, id });
    });
  return {
    async insert(entries: RequestLogEntry[]) {
      if (entries.length === 0) return;
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
      await call({ type: "insert", params });
    },
    prune: (before, limit) => call({ type: "prune", before: before.getTime(), limit }),
    async close() {
      const stopping = current?.thread;
      current = null;
      closed = true;
      if (stopping) await stopping.terminate();
    },
  };
}
