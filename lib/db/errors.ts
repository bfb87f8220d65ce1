/**
 * Whether an error means the database could not be reached or its connection broke (an
 * outage: answer 503 with Retry-After), as opposed to a bug or a rejected statement (500).
 * Prisma with driver adapters reports these as known request errors with the adapter's error
 * in `meta.driverAdapterError.cause.kind`; pg's own errors (a terminated connection, a pool
 * that could not connect in time) can also surface as the cause.
 */
const UNAVAILABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "DatabaseUnavailable",
  "ConnectionClosed",
  "SocketTimeout",
  "TlsConnectionError",
  "TooManyConnections",
]);
// P1001 can't reach, P1002 timed out, P1008 operation timed out, P1017 server closed the
// connection, P2024 timed out waiting for a pool connection.
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// 57P01-57P03: admin shutdown / crash shutdown / cannot connect now; 08xxx: connection exceptions.
const UNAVAILABLE_SQLSTATE = /^(57P0[1-3]|08)/;
const UNAVAILABLE_MESSAGE =
  /Can't reach database server|Connection terminated|timeout exceeded when trying to connect|terminating connection|ECONNREFUSED|ECONNRESET|the database system is (starting up|shutting down)|Client has encountered a connection error/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } }; cause?: unknown };
  if (typeof e.code === "string" && (UNAVAILABLE_CODES.has(e.code) || UNAVAILABLE_SQLSTATE.test(e.code))) return true;
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause && typeof cause.kind === "string" && UNAVAILABLE_KINDS.has(cause.kind)) return true;
  if (cause && typeof cause.originalCode === "string" && UNAVAILABLE_SQLSTATE.test(cause.originalCode)) return true;
  if (typeof e.message === "string" && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
