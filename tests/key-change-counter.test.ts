// SQLite's key change counter (KeyChangeCounter, migration 20261206010000_key_change_counter):
// the verifier empties its caches when another connection's commit (PRAGMA data_version) moved
// the counter, and only then. The request log's worker commits every flush: those must leave a
// cached key cached (0 database queries), while a change to any table the caches hold, made by
// another connection, is refused or seen on the very next request. The verifier's own usage
// writes do not bump it; its own credit spends do but are taken as seen.
// SQLite only (triggers and data_version): PostgreSQL's instances hear changes on the key change
// bus (tests/verifier.test.ts), so vitest.postgres.config.ts leaves this file out.
import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { userContext, type SeededDb } from "./db";
import { setupVerifierDb } from "./helpers/verifier-db";
import { ROOT } from "./helpers/temp-db";
import { createTestRootKey } from "./helpers/hot-path-server";
import { snapshot } from "../lib/metrics";
import { createApiKey } from "../lib/api-keys/mutations";
import { verify, type Verifier } from "../lib/verify/verify";
import { verifyRootKey } from "../lib/verify/root-key";
import { flushRequestLog, pendingRequestLogEntries } from "../lib/request-log/buffer";
import { flushCredits } from "../lib/rate-limits/credit-ledger";
import { exchangeKeyForToken } from "../lib/tokens/issue";

const queries = () => snapshot().db_queries_total ?? 0;
const request = (id: string) => ({ id, source: "v1" as const, method: "GET", path: "/v1/whoami", userAgent: "test" });

describe("the key change counter (SQLite)", () => {
  let t: SeededDb;
  let verifier: Verifier;
  setupVerifierDb("key-change-counter", (db, v) => ((t = db), (verifier = v)), { teardown: () => flushRequestLog() });

  /** Runs `sql` on a connection of its own (another process, the dashboard's Prisma). */
  const elsewhere = (sql: string, ...params: unknown[]) => {
    const other = new Database(t.file!);
    try {
      return other.prepare(sql).run(...params).changes;
    } finally {
      other.close();
    }
  };
  const counter = () => {
    const reader = new Database(t.file!, { readonly: true });
    try {
      return (reader.prepare(`SELECT "version" FROM "KeyChangeCounter" WHERE "id" = 1`).get() as { version: number }).version;
    } finally {
      reader.close();
    }
  };
  async function newKey(name: string, extra: Record<string, unknown> = {}) {
    const created = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name, groupId: t.fx.groups.acmeFull.id, ...extra });
    if (!created.ok) throw new Error(created.error.message);
    return created.value;
  }

  it("a request log write committed by the worker thread does not empty the key cache: the cached key costs no query", async () => {
    const { key, secret } = await newKey("Cached while logged");
    expect(await verify(verifier, secret, { clientIp: "10.0.0.1", request: request("req_c1") })).toMatchObject({ ok: true });
    expect(pendingRequestLogEntries()).toBe(1);
    await flushRequestLog();
    expect(await t.db.requestLog.count({ where: { keyId: key.id } })).toBe(1);
    const before = queries();
    expect(await verify(verifier, secret, { clientIp: "10.0.0.1", request: request("req_c2") })).toMatchObject({ ok: true });
    expect(queries() - before).toBe(0);
  });

  it("a revoke by another connection, after the log's writes, bumps the counter and the next request is refused", async () => {
    const { key, secret } = await newKey("Revoked elsewhere");
    expect(await verify(verifier, secret, { clientIp: "10.0.0.1", request: request("req_r1") })).toMatchObject({ ok: true });
    await flushRequestLog();
    expect(await verify(verifier, secret, { clientIp: "10.0.0.1", request: request("req_r2") })).toMatchObject({ ok: true });
    const version = counter();
    elsewhere(`UPDATE "ApiKey" SET "status" = 'revoked' WHERE "id" = ?`, key.id);
    expect(counter()).toBe(version + 1);
    expect(await verify(verifier, secret, { clientIp: "10.0.0.1" })).toMatchObject({ ok: false, status: 401, reason: "REVOKED" });
  });

  it("a change by another connection to each table the caches hold bumps the counter; a usage column does not", async () => {
    const { key } = await newKey("Trigger tables");
    const root = await createTestRootKey(t, "Counter root");
    const exchanging = { id: key.id, tenantId: t.fx.acme.id, name: key.name, secretPrefix: "kw_test", scopes: ["api_keys:read"], expiresAt: null, groupId: t.fx.groups.acmeFull.id };
    const issued = await exchangeKeyForToken(t.db, { key: exchanging, requestId: "req_counter_token" }, { expiresIn: "15m" });
    if (!issued.ok) throw new Error(issued.error.message);
    const jti = issued.value.claims.jti;
    const now = new Date().toISOString();
    const bumps: [string, string, unknown[]][] = [
      ["ApiKey (update)", `UPDATE "ApiKey" SET "ipAllowlist" = '10.0.0.0/8' WHERE "id" = ?`, [key.id]],
      ["ApiKey (credits, another process's spend)", `UPDATE "ApiKey" SET "credits" = 5 WHERE "id" = ?`, [key.id]],
      ["Tenant", `UPDATE "Tenant" SET "name" = 'Acme Renamed' WHERE "id" = ?`, [t.fx.acme.id]],
      ["AuthorizationGroup", `UPDATE "AuthorizationGroup" SET "scopes" = 'api_keys:read' WHERE "id" = ?`, [t.fx.groups.acmeFull.id]],
      ["RootKey", `UPDATE "RootKey" SET "status" = 'revoked' WHERE "id" = ?`, [root.key.id]],
      ["IssuedToken", `UPDATE "IssuedToken" SET "revokedAt" = ? WHERE "id" = ?`, [now, jti]],
      ["ApiKey (delete)", `DELETE FROM "ApiKey" WHERE "id" = ?`, [key.id]],
    ];
    for (const [table, sql, params] of bumps) {
      const version = counter();
      expect(elsewhere(sql, ...params), table).toBe(1);
      expect(counter(), table).toBe(version + 1);
    }
    const { key: used } = await newKey("Usage only");
    const quiet: [string, string, unknown[]][] = [
      ["ApiKey.lastUsedAt", `UPDATE "ApiKey" SET "lastUsedAt" = ?, "previousLastUsedAt" = ? WHERE "id" = ?`, [now, now, used.id]],
      ["RootKey.lastUsedAt", `UPDATE "RootKey" SET "lastUsedAt" = ? WHERE "id" = ?`, [now, root.key.id]],
      ["IssuedToken.lastUsedAt", `UPDATE "IssuedToken" SET "lastUsedAt" = ? WHERE "id" = ?`, [now, jti]],
      ["ApiKeyUsageDaily", `INSERT INTO "ApiKeyUsageDaily" ("keyId", "day", "successCount") VALUES (?, '2026-12-01', 3)`, [used.id]],
      ["RequestLog", `DELETE FROM "RequestLog"`, []],
    ];
    for (const [what, sql, params] of quiet) {
      const version = counter();
      elsewhere(sql, ...params);
      expect(counter(), what).toBe(version);
    }
  });

  it("the verifier's usage flush does not bump the counter, and its own credit spends do not empty its cache", async () => {
    const { secret } = await newKey("Spends credits", { credits: 100 });
    const root = await createTestRootKey(t, "Usage root");
    expect(await verify(verifier, secret, { clientIp: "10.0.0.1", request: request("req_s1") })).toMatchObject({ ok: true });
    expect(await verifyRootKey(verifier, root.secret, "127.0.0.1")).toMatchObject({ ok: true });
    const version = counter();
    await verifier.lookup.usage.writeChunk([{ keyId: (await t.db.apiKey.findFirstOrThrow({ where: { name: "Spends credits" } })).id, day: "2026-12-02", success: 1, failure: 0, rateLimited: 0, usageExceeded: 0, lastUsedAt: new Date() }]);
    await verifier.lookup.usage.writeRootKeyUse([{ rootKeyId: root.key.id, lastUsedAt: new Date() }]);
    expect(counter()).toBe(version);
    await flushCredits();
    expect(counter()).toBeGreaterThan(version); // the spend bumped it, for other processes
    expect((await t.db.apiKey.findFirstOrThrow({ where: { name: "Spends credits" } })).credits).toBe(99);
    await flushRequestLog(); // a commit by another connection: data_version moves
    const before = queries();
    expect(await verify(verifier, secret, { clientIp: "10.0.0.1", request: request("req_s2") })).toMatchObject({ ok: true });
    expect(queries() - before).toBe(0);
    // Another process's spend (or a top-up) is seen on the next request.
    elsewhere(`UPDATE "ApiKey" SET "credits" = 0 WHERE "name" = 'Spends credits'`);
    expect(await verify(verifier, secret, { clientIp: "10.0.0.1" })).toMatchObject({ ok: false });
  });

  it("every column the lookups read is in its table's trigger (a column added to the cache needs one)", () => {
    const source = readFileSync(path.join(ROOT, "lib", "verify", "lookup.ts"), "utf8");
    const keyColumns = [...new Set([...source.matchAll(/k\."(\w+)"/g)].map((m) => m[1]))];
    const rootColumns = [...source.match(/ROOT_COLUMNS = `([^`]+)`/)![1].matchAll(/"(\w+)"/g)].map((m) => m[1]);
    const reader = new Database(t.file!, { readonly: true });
    const triggerColumns = (table: string) => {
      const row = reader.prepare(`SELECT "sql" FROM sqlite_master WHERE type = 'trigger' AND name = ?`).get(`KeyChangeCounter_${table}_update`) as { sql: string };
      return [...row.sql.split(" ON ")[0].matchAll(/"(\w+)"/g)].map((m) => m[1]);
    };
    try {
      expect(keyColumns.length).toBeGreaterThan(15);
      expect(triggerColumns("ApiKey")).toEqual(expect.arrayContaining([...keyColumns, "previousHash"]));
      expect(triggerColumns("RootKey")).toEqual(expect.arrayContaining([...rootColumns, "hash"]));
      // lib/tokens/verify-token.ts's lookup of a token by its jti.
      expect(triggerColumns("IssuedToken")).toEqual(expect.arrayContaining(["id", "tenantId", "revokedAt", "groupId", "name", "createdByKeyId"]));
    } finally {
      reader.close();
    }
  });
});
