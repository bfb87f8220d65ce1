import http from "node:http";
import https from "node:https";
import pg from "pg";
import { DestinationRefused, resolveAllowed } from "./destinations";
import type { HttpSettings, PostgresSettings } from "./schemas";

/**
 * Test: checks a credential against the real system, within a bounded time. PostgreSQL: connect
 * and SELECT 1. HTTP: a GET of the test path with the credential in its header, expecting 2xx;
 * redirects are followed only within the same origin, each hop checked against the allowed
 * networks again. Never logs or returns the secret; the answer is a sentence for the person.
 */
export const TEST_TIMEOUT_MS = 5_000;
const MAX_REDIRECTS = 3;

export type ProbeResult = { passed: boolean; message: string };

const passed = (message: string): ProbeResult => ({ passed: true, message });
const failed = (message: string): ProbeResult => ({ passed: false, message });

export async function probePostgres(settings: PostgresSettings, username: string, password: string): Promise<ProbeResult> {
  let target;
  try {
    target = await resolveAllowed(settings.host);
  } catch (error) {
    if (error instanceof DestinationRefused) return failed(error.message);
    throw error;
  }
  const client = new pg.Client({
    host: target.address,
    port: settings.port,
    database: settings.database,
    user: username,
    password,
    connectionTimeoutMillis: TEST_TIMEOUT_MS,
    query_timeout: TEST_TIMEOUT_MS,
    statement_timeout: TEST_TIMEOUT_MS,
    application_name: "keyward-connection-test",
  });
  // A failing server may also emit an error event after connect() rejected: never unhandled.
  client.on("error", () => undefined);
  const where = `${settings.host}:${settings.port}/${settings.database}`;
  try {
    await client.connect();
    const result = await client.query("SELECT 1 AS ok");
    return result.rows[0]?.ok === 1 ? passed(`Connected to ${where} as ${username}; SELECT 1 answered.`) : failed(`${where} answered SELECT 1 unexpectedly.`);
  } catch (error) {
    return failed(`Could not connect to ${where} as ${username}: ${describePgError(error)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function describePgError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e.code === "ECONNREFUSED") return "the connection was refused (nothing listens there).";
  if (e.code === "ETIMEDOUT" || /timeout/i.test(e.message ?? "")) return `no answer within ${TEST_TIMEOUT_MS / 1000} s.`;
  if (e.code === "28P01") return "the password was refused.";
  if (e.code === "28000") return "the server does not allow this user to connect.";
  if (e.code === "3D000") return "the database does not exist.";
  // Driver messages name the user or database at most, never the password.
  return (e.message ?? "unknown error").slice(0, 200);
}

type HopAnswer = { status: number; location: string | null };

function requestOnce(url: URL, address: string, headerName: string, secret: string, signal: AbortSignal): Promise<HopAnswer> {
  const secure = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      {
        host: address,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: "GET",
        // TLS is checked against the host name typed, while the socket goes to the checked address.
        servername: secure && !/^[\d.]+$|:/.test(url.hostname) ? url.hostname : undefined,
        headers: { Host: url.host, [headerName]: secret, "User-Agent": "keyward-connection-test", Accept: "*/*" },
        signal,
        agent: false,
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: typeof res.headers.location === "string" ? res.headers.location : null });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

export async function probeHttp(settings: HttpSettings, secret: string): Promise<ProbeResult> {
  const signal = AbortSignal.timeout(TEST_TIMEOUT_MS);
  let url = new URL(`${settings.baseUrl}${settings.testPath}`);
  const origin = url.origin;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const target = await resolveAllowed(url.hostname);
      const answer = await requestOnce(url, target.address, settings.headerName, secret, signal);
      if (answer.status >= 200 && answer.status < 300) return passed(`GET ${url.pathname} answered ${answer.status}.`);
      if (answer.status >= 300 && answer.status < 400 && answer.location) {
        const next = new URL(answer.location, url);
        // The credential must never be sent to another host: only same-origin redirects.
        if (next.origin !== origin) return failed(`GET ${url.pathname} redirected to ${next.origin}, another origin: not followed.`);
        url = next;
        continue;
      }
      return failed(`GET ${url.pathname} answered ${answer.status}, expected 2xx.`);
    }
    return failed(`More than ${MAX_REDIRECTS} redirects: not followed further.`);
  } catch (error) {
    if (error instanceof DestinationRefused) return failed(error.message);
    const e = error as { code?: string; name?: string; message?: string };
    if (signal.aborted || e.name === "AbortError" || e.name === "TimeoutError") return failed(`No answer within ${TEST_TIMEOUT_MS / 1000} s.`);
    if (e.code === "ECONNREFUSED") return failed(`${url.host} refused the connection (nothing listens there).`);
    return failed(`Could not reach ${url.host}: ${(e.message ?? "unknown error").slice(0, 200)}`);
  }
}
