// `npm run verifier`: verification only, no dashboard: POST /v1/keys/verify, /v1/authorize/*,
// GET /v1/whoami and GET /v1/health, to run beside a gateway or scaled out. Same verify() as the
// dashboard's server; a revoke made in the dashboard is honoured here on the next request on
// SQLite (same file: PRAGMA data_version) and within about a second on PostgreSQL
// (LISTEN/NOTIFY, lib/db/key-change-bus.ts).
import http from "node:http";
import net from "node:net";
import { chmodSync, lstatSync, unlinkSync } from "node:fs";
import nextEnv from "@next/env";
import { appVerifier } from "../lib/verify/app-verifier";
import { config, ConfigError, freezeConfig, type Config } from "../lib/config";
import { verify } from "../lib/verify/verify";
import { whoamiBody } from "../lib/verify/whoami";
import { flushUsageBeforeExit } from "../lib/verify/usage";
import { resolveClientIp } from "../lib/http/client-ip";
import { createHotPath } from "./hot-path";
import { limitHeaders } from "../lib/rate-limits/headers";
import { header, requestIdOf, sendError, sendJson } from "./respond";
import { requestContext } from "../lib/request-log/record";

nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });

// Every variable typed and checked before serving (lib/config.ts): a typo stops the start.
let settings: Config;
try {
  settings = config();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : String(error));
  process.exit(1);
}
// The environment is complete (.env files loaded above): config() may stop re-reading it.
freezeConfig();
if (!settings.hashSecret) {
  console.error("keyward-verifier: KEYWARD_HASH_SECRET is missing or shorter than 32 characters (the HMAC key of API key hashes).");
  process.exit(1);
}

const port = settings.verifierPort ?? (process.env.PORT ? settings.port : 3001);
const bind = settings.bind;
const verifier = appVerifier();
const hotPath = createHotPath({ verifier, nonce: null });

const server = http.createServer((req, res) => {
  void (async () => {
    if (await hotPath(req, res)) return;
    const requestId = requestIdOf(req);
    const path = (req.url ?? "/").split("?")[0];
    req.resume();
    if (path === "/v1/health") return sendJson(res, 200, { status: "ok" }, requestId);
    if (path === "/v1/whoami" && req.method === "GET") {
      const peer = req.socket.remoteAddress ?? "";
      const result = await verify(verifier, header(req, "x-api-key") ?? null, {
        clientIp: peer ? resolveClientIp(peer, header(req, "x-forwarded-for")) : null,
        request: requestContext(req, requestId, "whoami"),
      });
      if (result.ok) return sendJson(res, 200, whoamiBody(result.key), requestId);
      const headers: Record<string, string> = {};
      if (result.retryAfter) headers["Retry-After"] = String(result.retryAfter);
      if (result.limit) Object.assign(headers, limitHeaders(result.limit));
      if (result.status === 401) headers["WWW-Authenticate"] = 'ApiKey header="X-API-Key"';
      return sendError(res, result.status, result.code, result.message, requestId, headers);
    }
    sendError(res, 404, "not_found", "This verifier serves /v1/keys/verify, /v1/authorize and /v1/whoami only.", requestId);
  })().catch((error) => {
    console.error("keyward-verifier: request failed", error instanceof Error ? error.message : error);
    if (!res.headersSent) sendError(res, 500, "internal_error", "Something went wrong.", requestIdOf(req));
  });
});
server.keepAliveTimeout = 65_000;
const socketPath = settings.verifierSocket;
if (socketPath) listenOnSocket(socketPath);
else server.listen(port, bind, () => console.log(`keyward-verifier: ready on http://localhost:${port}`));

/**
 * KEYWARD_VERIFIER_SOCKET: a Unix socket for a gateway on the same host (NGINX's
 * `server unix:/path;`). A socket file left by a verifier that died is replaced; one that a
 * running verifier still answers on is not (EADDRINUSE stops this start). Owner and group may
 * connect (0660): put the gateway's user in the verifier's group.
 */
function listenOnSocket(file: string) {
  const ready = () => {
    chmodSync(file, 0o660);
    console.log(`keyward-verifier: ready on unix:${file}`);
  };
  server.once("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EADDRINUSE" || !lstatSync(file, { throwIfNoEntry: false })?.isSocket()) throw error;
    const probe = net.connect(file);
    probe.once("connect", () => {
      probe.destroy();
      throw error;
    });
    probe.once("error", () => {
      unlinkSync(file);
      server.listen(file, ready);
    });
  });
  server.listen(file, ready);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`keyward-verifier: ${signal}, flushing usage`);
  server.close();
  server.closeIdleConnections?.();
  try {
    await flushUsageBeforeExit();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
