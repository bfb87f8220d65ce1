import { randomBytes } from "node:crypto";

const ACCEPTED = /^[A-Za-z0-9._:-]{8,128}$/;

// Request ids must be unique, not secret (a caller may send its own): a random prefix per
// process and a counter, `req_` + 32 hex digits, at a fraction of a random UUID's cost per request.
const PREFIX = randomBytes(10).toString("hex");
let counter = 0;

/** A request id: the caller's X-Request-Id when it is well-formed, otherwise a new one. */
export function requestIdFrom(incoming: string | null | undefined): string {
  if (incoming && ACCEPTED.test(incoming)) return incoming;
  counter = (counter + 1) % 0x1000000000000;
  return `req_${PREFIX}${counter.toString(16).padStart(12, "0")}`;
}
