// The key page's request log is read through a (keyId, ..., at, id) index for every filter, on
// SQLite and on PostgreSQL, after ANALYZE of a table where one key holds most entries and another
// key's entries are the newest: the case where PostgreSQL took the `at` index (pruning's) with a
// Filter on keyId and an Incremental Sort, reading every newer entry of the other key first.
// The plan checked is the one of the SQL the code sends: each page read is captured from
// Prisma's query log (with the statements before it in its transaction, e.g. queries.ts's
// SET LOCAL) and replayed under EXPLAIN, so the test fails if the query or its settings change
// back. Timings are bench:request-log's, not asserted here.
// Runs on SQLite and, in the PostgreSQL phase, on PostgreSQL (tests/db.ts).
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratedDb, TEST_PROVIDER, type TempTestDatabase } from "../../tests/db";
import { createPrismaClient, type Db } from "../db/prisma";
import { requestLogPage } from "./queries";
import type { RequestLogFilters } from "./schemas";

const TENANT = "tplan";
const BIG = "kplanbig";
const OTHER = "kplanother";
const BIG_ROWS = 60_000;
const OTHER_ROWS = 10_000;
const START = Date.UTC(2026, 10, 1);

type Captured = { query: string; params: unknown[] };

// BIG_ROWS entries, one every 100 ms, of the big key with every 10th of the other key between
// (so that keyId is not in the table's order, while at is), then OTHER_ROWS newer ones of the
// other key. Every 20th is refused, every 3rd came through a token, addresses cycle over 256.
const fill = (sqlite: boolean) => {
  const ts = (ms: string) => (sqlite ? `strftime('%Y-%m-%dT%H:%M:%f+00:00', (${START} + ${ms}) / 1000.0, 'unixepoch')` : `to_timestamp((${START} + ${ms}) / 1000.0)::timestamp(3)`);
  const rows = (key: string, n: number, offset: number) => {
    const series = sqlite ? `(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n}) SELECT i FROM s)` : `(SELECT generate_series(1, ${n}) AS i)`;
    return `INSERT INTO "RequestLog" ("tenantId", "keyId", "tokenId", "via", "at", "requestId", "outcome", "clientIp", "source")
      SELECT '${TENANT}', ${key}, CASE WHEN i % 3 = 0 THEN 'jti' || (i % 5) END, CASE WHEN i % 3 = 0 THEN 'token' ELSE 'key' END,
        ${ts(`${offset} + i * 100`)}, 'req_' || i, CASE WHEN i % 20 = 0 THEN 'IP_NOT_ALLOWED' ELSE 'VALID' END, '10.0.0.' || (i % 256), 'v1'
      FROM ${series} AS s`;
  };
  return [rows(`CASE WHEN i % 10 = 5 THEN '${OTHER}' ELSE '${BIG}' END`, BIG_ROWS, 0), rows(`'${OTHER}'`, OTHER_ROWS, BIG_ROWS * 100), `ANALYZE "RequestLog"`];
};

type Row = { outcome: string; clientIp: string | null; tokenId: string | null; at: Date };
// Every filter of the page, the index that serves it newest first (prisma/schema.prisma), and
// what each of its rows must match.
const FILTERS: [string, Omit<RequestLogFilters, "before">, string, (r: Row) => boolean][] = [
  ["newest first", {}, "RequestLog_keyId_at_id_idx", () => true],
  ["outcome", { outcome: "IP_NOT_ALLOWED" }, "RequestLog_keyId_outcome_at_id_idx", (r) => r.outcome === "IP_NOT_ALLOWED"],
  ["address", { ip: "10.0.0.7" }, "RequestLog_keyId_clientIp_at_id_idx", (r) => r.clientIp === "10.0.0.7"],
  ["key", { via: "key" }, "RequestLog_keyId_via_at_id_idx", (r) => r.tokenId === null],
  ["token", { via: "token" }, "RequestLog_keyId_via_at_id_idx", (r) => r.tokenId !== null],
  ["time range", { from: new Date(START + 600_000), to: new Date(START + 1_200_000) }, "RequestLog_keyId_at_id_idx", (r) => r.at.getTime() >= START + 600_000 && r.at.getTime() <= START + 1_200_000],
];

describe("the key page's request log plan", () => {
  let target: TempTestDatabase;
  let db: Db;
  let captured: Captured[] = [];

  beforeAll(async () => {
    target = await migratedDb("request-log-plan");
    if (target.file) {
      const sqlite = new Database(target.file);
      for (const sql of fill(true)) sqlite.exec(sql);
      sqlite.close();
    } else {
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      for (const sql of fill(false)) await client.query(sql);
      await client.end();
    }
    db = createPrismaClient(target.url);
    // Prisma's query log: each statement as sent, with its parameters.
    (db as unknown as { $on(event: "query", listener: (e: { query: string; params: string }) => void): void }).$on("query", (e) =>
      captured.push({ query: e.query, params: JSON.parse(e.params) as unknown[] }),
    );
  }, 120_000);

  afterAll(async () => {
    await db?.$disconnect();
    await target?.close();
  });

  /** The plan of the page's read of RequestLog, replayed with the statements sent before it. */
  async function explainPage(filters: Omit<RequestLogFilters, "before">) {
    captured = [];
    const page = await requestLogPage(db, TENANT, BIG, filters);
    const statements = captured.filter((c) => !/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(c.query));
    const read = statements.findIndex((c) => /^\s*SELECT\b[\s\S]*\bFROM\s+[`"\w.]*RequestLog/i.test(c.query));
    expect(read).toBeGreaterThanOrEqual(0);
    if (target.file) {
      const sqlite = new Database(target.file, { readonly: true });
      try {
        const { query, params } = statements[read];
        const plan = sqlite.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...(params as unknown[])) as { detail: string }[];
        return { page, plan: plan.map((p) => p.detail).join("\n") };
      } finally {
        sqlite.close();
      }
    }
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      await client.query("BEGIN");
      for (const { query, params } of statements.slice(0, read)) await client.query(query, params);
      const { query, params } = statements[read];
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${query}`, params);
      await client.query("ROLLBACK");
      return { page, plan: JSON.stringify(rows[0]["QUERY PLAN"]) };
    } finally {
      await client.end();
    }
  }

  for (const [name, filters, index, matches] of FILTERS) {
    it(`${name}: read through ${index}, in order, without a sort (${TEST_PROVIDER})`, async () => {
      const { page, plan } = await explainPage(filters);
      // The page itself: the big key's newest matching entries, newest first.
      expect(page.rows).toHaveLength(50);
      expect(page.rows.every(matches)).toBe(true);
      const order = page.rows.map((r) => [r.at.getTime(), r.id]);
      expect([...order].sort((a, b) => b[0] - a[0] || b[1] - a[1])).toEqual(order);
      expect(plan).toContain(index);
      expect(plan).not.toContain("RequestLog_at_idx");
      if (target.file) expect(plan).not.toMatch(/TEMP B-TREE/);
      else expect(plan).not.toMatch(/"Node Type":"(Incremental )?Sort"/);
    });
  }
});
