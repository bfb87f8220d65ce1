import type { IncomingMessage, ServerResponse } from "node:http";
import { requestIdFrom } from "../lib/request-id";

/**
 * Responses of the hot path, written straight onto node:http (no web streams, no framework
 * response objects): a JSON body built once, its length known, the headers in one writeHead.
 */
export type Headers = Record<string, string>;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return requestIdFrom(typeof given === "string" ? given : null);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string, headers: Headers = {}) {
  sendJsonText(res, status, JSON.stringify(body), requestId, headers);
}

/** sendJson() for a body that is already JSON text. */
export function sendJsonText(res: ServerResponse, status: number, text: string, requestId: string, headers: Headers = {}) {
  // A flat [name, value, ...] list: node:http writes it without walking an object's keys, which
  // cost about 15 us of CPU per response (a third of the raw floor's whole request).
  const list = ["Cache-Control", "no-store", "X-Content-Type-Options", "nosniff"];
  for (const name in headers) list.push(name, headers[name]);
  list.push("Content-Type", "application/json; charset=utf-8", "Content-Length", String(Buffer.byteLength(text)), "X-Request-Id", requestId);
  res.writeHead(status, list);
  res.end(text);
}

/**
 * A status and headers with no body (forward-auth's 200: gateways read only its headers). Each
 * byte less is a byte less for the gateway to read on a hop that every protected request pays.
 */
export function sendEmpty(res: ServerResponse, status: number, requestId: string, headers: Headers) {
  const list = ["Cache-Control", "no-store"];
  for (const name in headers) list.push(name, headers[name]);
  list.push("Content-Length", "0", "X-Request-Id", requestId);
  res.writeHead(status, list);
  res.end();
}

/** The /v1 error envelope: { error: { code, message, requestId } }. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: Headers = {},
  fieldErrors?: Record<string, string[]>,
) {
  sendJson(res, status, { error: { code, message, requestId, ...(fieldErrors ? { fieldErrors } : {}) } }, requestId, headers);
}

export type Body = { ok: true; text: string } | { ok: false; status: 413 | 400; code: string; message: string };

const tooLarge = (limit: number): Body => ({ ok: false, status: 413, code: "payload_too_large", message: `The request body exceeds ${limit} bytes.` });

/**
 * Reads at most `limit` bytes; a longer body is refused without reading the rest into memory.
 * A body that has already arrived is returned as it is, not as a promise (no tick to wait); one
 * that came in the headers' packet is read a microtask later (tests/read-body.test.ts).
 */
export function readBody(req: IncomingMessage, limit: number, waited = false): Body | Promise<Body> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) {
    req.resume();
    return tooLarge(limit);
  }
  if (!req.readableFlowing && (req.complete || (declared > 0 && req.readableLength === declared))) {
    // The whole body came with the headers and waits in the stream's buffer (a small JSON body
    // almost always does; the parser delivers no more than Content-Length): read it at once
    // instead of through data and end events, which cost several ticks and listeners per request
    // (bench:verify's verify endpoint).
    if (req.readableLength > limit) {
      req.resume();
      return tooLarge(limit);
    }
    const chunk = req.read() as Buffer | null;
    req.resume();
    return { ok: true, text: chunk ? chunk.toString("utf8") : "" };
  }
  if (!waited && declared > 0 && !req.readableFlowing && req.readableLength === 0) {
    // Called in the 'request' event: node:http's parser pushes the body of the same packet only
    // after that event's listeners return. One microtask later it is in the buffer (the read
    // above then takes it), for far less than the data and end listeners below.
    return Promise.resolve().then(() => readBody(req, limit, true));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        resolve(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve({ ok: true, text: Buffer.concat(chunks).toString("utf8") });
      done = true;
    });
    req.on("error", () => {
      if (!done) resolve({ ok: false, status: 400, code: "invalid_body", message: "The request body could not be read." });
      done = true;
    });
  });
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
