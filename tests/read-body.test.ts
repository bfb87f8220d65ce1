import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBody } from "../server/respond";

// server/respond.ts readBody, called in the 'request' event as the hot path calls it: a body
// that came in the same packet as its headers is taken from the stream's buffer a microtask
// later (no data/end listeners); one that comes later, or too large, still gives the same answers.
let server: http.Server;
let port = 0;
const seen: { listeners: number; text: string | null; status: number | null }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const read = readBody(req, 64);
    void Promise.resolve(read).then((body) => {
      seen.push({ listeners: req.listenerCount("data"), text: body.ok ? body.text : null, status: body.ok ? null : body.status });
      res.writeHead(200, { "Content-Length": "0" });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** One POST written as `parts`, each once the previous one was flushed to the socket. */
function post(parts: string[], declared: number) {
  return new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const head = `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\nConnection: close\r\n\r\n`;
    socket.on("error", reject);
    socket.on("data", () => socket.end());
    socket.on("close", () => resolve());
    socket.on("connect", () => {
      const next = (i: number) => {
        if (i < parts.length) socket.write(i === 0 ? head + parts[0] : parts[i], () => setImmediate(() => next(i + 1)));
      };
      next(0);
    });
  });
}

describe("readBody", () => {
  it("takes a body that came with its headers from the buffer, without data listeners", async () => {
    seen.length = 0;
    const json = '{"key":"kw_abc"}';
    await post([json], json.length);
    expect(seen).toEqual([{ listeners: 0, text: json, status: null }]);
  });

  it("waits for a body that comes in later packets, and refuses one past the limit", async () => {
    seen.length = 0;
    const json = '{"key":"kw_abcdefghij"}';
    await post([json.slice(0, 4), json.slice(4, 12), json.slice(12)], json.length);
    expect(seen).toEqual([{ listeners: expect.any(Number), text: json, status: null }]);
    seen.length = 0;
    const large = `{"key":"${"x".repeat(80)}"}`;
    await post([large.slice(0, 10), large.slice(10)], large.length);
    expect(seen).toEqual([{ listeners: expect.any(Number), text: null, status: 413 }]);
  });
});
