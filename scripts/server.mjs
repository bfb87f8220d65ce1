#!/usr/bin/env node
// Keyward's production server: Next.js's request handler behind node:http, so that the API
// knows the real peer address of every request. `next start` cannot tell a client's own
// X-Forwarded-For from one it added itself, which would let anyone pass an IP allowlist.
// The hot path (key verification: /v1/keys/verify, /v1/authorize, the key check of every /v1
// route) is answered before Next.js by server/hot-path.ts, compiled by `npm run build` into
// dist/server/app-entry.mjs (scripts/build-server.mjs).
import http from "node:http";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import next from "next";
import { createDatabaseGate } from "./database-gate.mjs";

// Opt-in, for memory-tight hosts. V8's default heap growth lets garbage pile up to 60-90 MB above
// the live heap before a full collection (a CSV export of 100,000 audit events makes 23 MB of
// text and several times that in short-lived rows). Favouring size keeps the export's peak
// growth under 50 MB (bench:audit), but costs about 35% more CPU per API request (bench:verify),
// and verification is the hot path: so V8's defaults stay the default. Keeping bytecode stops
// size mode from recompiling the dashboard's code. V8 reads both flags at run time.
if (process.env.KEYWARD_V8_OPTIMIZE_FOR_SIZE === "1") v8.setFlagsFromString("--optimize-for-size --no-flush-bytecode");

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT || 3000);
// Unset: Node listens on every IPv6 and IPv4 address when the machine has IPv6, else IPv4.
const bind = process.env.KEYWARD_BIND || undefined;

// Only this process knows the nonce: a client cannot forge the peer header, and code running
// under plain `next start` (no nonce) treats every client address as unknown.
const nonce = randomBytes(16).toString("hex");
process.env.KEYWARD_PEER_NONCE = nonce;
const PEER_HEADER = "x-keyward-peer";

const app = next({ dev: false, dir: root, hostname: bind ?? "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const entry = path.join(root, "dist", "server", "app-entry.mjs");
let hotPathModule;
try {
  hotPathModule = await import(entry);
} catch (error) {
  console.error(`keyward: ${entry} is missing or broken (${error.message}). Run \`npm run build\` first.`);
  process.exit(1);
}

// Checked after Next.js has loaded .env files: without these, keys cannot be verified and
// sessions cannot be signed, so refuse to serve rather than fail on the first request.
for (const [name, why] of [
  ["KEYWARD_HASH_SECRET", "the HMAC key that API key hashes are made with"],
  ["NEXTAUTH_SECRET", "the key that signs session cookies"],
  ["KEYWARD_TOKEN_ENCRYPTION_KEY", "the key that token signing keys are encrypted under"],
  ["KEYWARD_CONNECTION_KEK", "the key-encryption key that wraps connection credentials' data keys"],
]) {
  if (!process.env[name] || process.env[name].length < 32) {
    console.error(
      `keyward: ${name} is missing or shorter than 32 characters (${why}). ` +
        "Set it in the environment; `npm start` generates one into .env.local for local use.",
    );
    process.exit(1);
  }
}

/** Next.js answers a malformed %-escape in the path with a bare 500; the API gets its envelope. */
function rejectsMalformedApiPath(req, res) {
  const path = (req.url ?? "").split("?")[0];
  if (!path.startsWith("/v1")) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    const requestId = `req_${randomBytes(16).toString("hex")}`;
    res.writeHead(400, { "Content-Type": "application/json", "X-Request-Id": requestId, "Cache-Control": "no-store" });
    res.end(JSON.stringify({ error: { code: "invalid_path", message: "The request path is not valid percent-encoding.", requestId } }));
    return true;
  }
}

// PostgreSQL down: pages answer 503 "database unavailable" instead of a 500 (database-gate.mjs).
const databaseGate = createDatabaseGate();
const hotPath = hotPathModule.createAppHotPath(nonce);

const server = http.createServer(async (req, res) => {
  // Verification and the /v1 key check first: they never wait for Next.js (server/hot-path.ts),
  // which reads the peer from the socket and answers malformed /v1/ paths itself.
  if (await hotPath(req, res)) return;
  req.headers[PEER_HEADER] = `${nonce} ${req.socket.remoteAddress ?? ""}`;
  if (rejectsMalformedApiPath(req, res)) return;
  if (databaseGate && (await databaseGate.refuse(req, res))) return;
  handle(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, bind, () => {
  console.log(`keyward: ready on http://localhost:${port}`);
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`keyward: ${signal}, finishing requests and flushing usage`);
  server.close();
  server.closeIdleConnections?.();
  try {
    // lib/verify/usage.ts: writes the last-used times still in memory.
    await hotPathModule.flushUsageBeforeExit();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
