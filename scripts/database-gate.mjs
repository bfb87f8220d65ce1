// The dashboard while PostgreSQL is down: instead of Next.js's bare 500 (every page reads the
// database), a page that says so, with 503 and Retry-After, so that browsers, load balancers
// and monitors see an outage, not a bug. scripts/server.mjs asks before handing a page request
// to Next.js; the /v1 API answers its own 503s (lib/api/v1.ts). SQLite is a local file: no gate.
import pg from "pg";

export const RETRY_AFTER_SECONDS = 5;
// A failed probe is believed for this long, so that an outage does not cost one connection
// attempt per page request; a good one is not cached (a cached "up" would let the next page
// render into a 500).
const DOWN_CACHE_MS = 1_000;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}"><title>Database unavailable · Keyward</title>
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:grid;place-items:center;min-height:100vh;margin:0}
main{max-width:32rem;padding:2rem;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem}h1{font-size:1.25rem;margin:0 0 .75rem}p{color:#475569;line-height:1.5}</style>
</head><body><main role="main"><h1>The database is unavailable</h1>
<p>Keyward cannot reach its database right now, so this page cannot be shown. This is usually brief:
the page tries again by itself every ${RETRY_AFTER_SECONDS} seconds.</p>
<p>If it lasts, tell your platform's operators. Keys already in use keep being checked where their answer is known.</p>
</main></body></html>`;

/** A page the dashboard renders, as opposed to the API, Next.js's assets and actions. */
export function isPageRequest(req) {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const path = (req.url ?? "/").split("?")[0];
  return !/^\/(v1|api|_next)(\/|$)/.test(path) && !/\.[a-z0-9]+$/i.test(path);
}

/** null on SQLite; on PostgreSQL a probe with its own two-connection pool. */
export function createDatabaseGate(url = process.env.DATABASE_URL ?? "") {
  if (!/^postgres(ql)?:\/\//i.test(url)) return null;
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 1_000, idleTimeoutMillis: 30_000 });
  pool.on("error", () => {});
  let downUntil = 0;
  async function available() {
    if (Date.now() < downUntil) return false;
    try {
      await pool.query({ text: "SELECT 1", query_timeout: 1_000 });
      return true;
    } catch {
      downUntil = Date.now() + DOWN_CACHE_MS;
      return false;
    }
  }
  return {
    available,
    /** Answers the request with the unavailable page and returns true when the database is down. */
    async refuse(req, res) {
      if (!isPageRequest(req) || (await available())) return false;
      res.writeHead(503, {
        "Content-Type": "text/html; charset=utf-8",
        "Retry-After": String(RETRY_AFTER_SECONDS),
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : PAGE);
      return true;
    },
    close: () => pool.end(),
  };
}
