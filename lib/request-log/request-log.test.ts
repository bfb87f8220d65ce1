// The request log end to end below the HTTP layer: verify() with a request context buffers one
// entry per verification of a known key (none for unknown keys, none while switched off), a
// flush writes them as one multi-row INSERT per chunk, a full buffer drops and counts, a failed
// flush keeps its entries and the next one writes them, pruning deletes only expired entries in
// small batches, and the key page's query filters, pages and stays inside the tenant.
// Runs on SQLite and, in the PostgreSQL phase, on PostgreSQL (tests/db.ts).
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { TEST_PROVIDER, userContext, type SeededDb } from "../../tests/db";
import { setupVerifierDb } from "../../tests/helpers/verifier-db";
import { snapshot } from "../metrics";
import { generateApiKeySecret } from "../api-keys/key-format";
import { clearKeyCache } from "../api-keys/key-cache";
import { createApiKey, revokeApiKey } from "../api-keys/mutations";
import { verify, type Verifier } from "../verify/verify";
import { flushRequestLog, pendingRequestLogEntries, pruneRequestLog, recordRequest, REQUEST_LOG_CHUNK, PRUNE_BATCH, PRUNE_MAX } from "./buffer";
import { requestLogHints, requestLogPage } from "./queries";
import { requestLogCsvStream } from "./csv";
import { parseRequestLogFilters } from "./schemas";
import type { RequestLogEntry, RequestLogWriter } from "./types";

const counter = (name: string) => snapshot()[name] ?? 0;

describe("request log", () => {
  let t: SeededDb;
  let verifier: Verifier;
  setupVerifierDb("request-log", (db, v) => ((t = db), (verifier = v)), {
    teardown: async () => {
      delete process.env.KEYWARD_REQUEST_LOG;
      delete process.env.KEYWARD_REQUEST_LOG_BUFFER;
      await flushRequestLog();
    },
  });

  async function newKey(name: string, extra: Record<string, unknown> = {}) {
    const created = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name, groupId: t.fx.groups.acmeFull.id, ...extra });
    if (!created.ok) throw new Error(created.error.message);
    return created.value;
  }
  const request = (id: string) => ({ id, source: "v1" as const, method: "GET", path: "/v1/api-keys?token=oops", userAgent: "curl/8.5" });

  it("records each verification of a known key with its outcome, and none of an unknown key", async () => {
    const { key, secret } = await newKey("Logged", { ipAllowlist: "10.0.0.0/8" });
    expect(await verify(verifier, secret, { clientIp: "10.1.2.3", request: request("req_ok") })).toMatchObject({ ok: true });
    expect(await verify(verifier, secret, { clientIp: "192.0.2.9", request: request("req_ip") })).toMatchObject({ ok: false, code: "ip_not_allowed" });
    expect(await verify(verifier, generateApiKeySecret(), { clientIp: "10.1.2.3", request: request("req_unknown") })).toMatchObject({ ok: false });
    await revokeApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), key.id);
    clearKeyCache();
    expect(await verify(verifier, secret, { clientIp: "10.1.2.3", request: request("req_revoked") })).toMatchObject({ ok: false, status: 401 });
    // Without a request context (an internal check) nothing is logged.
    await verify(verifier, secret, { clientIp: "10.1.2.3" });
    await flushRequestLog();

    const rows = await t.db.requestLog.findMany({ where: { keyId: key.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.requestId, r.outcome, r.clientIp])).toEqual([
      ["req_ok", "VALID", "10.1.2.3"],
      ["req_ip", "IP_NOT_ALLOWED", "192.0.2.9"],
      ["req_revoked", "REVOKED", "10.1.2.3"],
    ]);
    // The query string is never kept: it may hold something the client should not have sent.
    expect(rows[0]).toMatchObject({ tenantId: t.fx.acme.id, method: "GET", path: "/v1/api-keys", userAgent: "curl/8.5", source: "v1" });
    expect(await t.db.requestLog.count({ where: { requestId: "req_unknown" } })).toBe(0);
  });

  it("KEYWARD_REQUEST_LOG=0 records nothing", async () => {
    const { key, secret } = await newKey("Not logged");
    process.env.KEYWARD_REQUEST_LOG = "0";
    expect(await verify(verifier, secret, { clientIp: "10.1.2.3", request: request("req_off") })).toMatchObject({ ok: true });
    expect(pendingRequestLogEntries()).toBe(0);
    await flushRequestLog();
    expect(await t.db.requestLog.count({ where: { keyId: key.id } })).toBe(0);
  });

  const entry = (keyId: string, i: number, at = Date.now()): RequestLogEntry => ({
    at,
    tenantId: t.fx.acme.id,
    keyId,
    tokenId: null,
    requestId: `req_${i}`,
    outcome: i % 10 === 0 ? "IP_NOT_ALLOWED" : "VALID",
    clientIp: i % 7 === 0 ? "198.51.100.7" : "10.0.0.1",
    method: "GET",
    path: "/v1/whoami",
    userAgent: null,
    source: "v1",
  });

  it("writes a flush as one multi-row INSERT per chunk, off the request", async () => {
    const { key } = await newKey("Batched");
    const inserts: number[] = [];
    const writer: RequestLogWriter = {
      insert: (rows) => (inserts.push(rows.length), verifier.lookup.requestLog.insert(rows)),
      prune: verifier.lookup.requestLog.prune,
    };
    const n = REQUEST_LOG_CHUNK + 500;
    for (let i = 0; i < n; i++) recordRequest(writer, entry(key.id, i));
    expect(inserts).toEqual([]);
    await flushRequestLog();
    expect(inserts).toEqual([REQUEST_LOG_CHUNK, 500]);
    expect(await t.db.requestLog.count({ where: { keyId: key.id } })).toBe(n);
  });

  it("a full buffer drops new entries and counts them; a failed flush keeps its entries for the next", async () => {
    const { key } = await newKey("Outage");
    process.env.KEYWARD_REQUEST_LOG_BUFFER = "5";
    let down = true;
    const writer: RequestLogWriter = {
      insert: (rows) => (down ? Promise.reject(new Error("database unavailable")) : verifier.lookup.requestLog.insert(rows)),
      prune: verifier.lookup.requestLog.prune,
    };
    const dropped = counter("request_log_dropped_total");
    for (let i = 1; i <= 8; i++) recordRequest(writer, entry(key.id, i));
    expect(counter("request_log_dropped_total") - dropped).toBe(3);
    await flushRequestLog();
    expect(pendingRequestLogEntries()).toBe(5);
    expect(await t.db.requestLog.count({ where: { keyId: key.id } })).toBe(0);
    down = false;
    await flushRequestLog();
    expect(pendingRequestLogEntries()).toBe(0);
    const rows = await t.db.requestLog.findMany({ where: { keyId: key.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.requestId)).toEqual(["req_1", "req_2", "req_3", "req_4", "req_5"]);
  });

  if (TEST_PROVIDER === "sqlite") {
    it("SQLite: a locked database keeps the entries for the next flush, without waiting", async () => {
      const { key, secret } = await newKey("Locked");
      await verify(verifier, secret, { clientIp: "10.0.0.1", request: request("req_locked") });
      const locker = new Database(t.file!);
      locker.exec("BEGIN IMMEDIATE");
      const started = Date.now();
      await flushRequestLog();
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(pendingRequestLogEntries()).toBe(1);
      locker.exec("ROLLBACK");
      locker.close();
      await flushRequestLog();
      expect(await t.db.requestLog.count({ where: { keyId: key.id, requestId: "req_locked" } })).toBe(1);
    });
  }

  it("prunes only entries older than the retention, in small batches", async () => {
    const { key } = await newKey("Pruned");
    const now = Date.now();
    const old = PRUNE_BATCH * 2 + 10;
    const rows = Array.from({ length: old }, (_, i) => entry(key.id, i, now - 31 * 86_400_000 - i));
    rows.push(entry(key.id, old + 1, now - 29 * 86_400_000), entry(key.id, old + 2, now));
    for (let i = 0; i < rows.length; i += REQUEST_LOG_CHUNK) await verifier.lookup.requestLog.insert(rows.slice(i, i + REQUEST_LOG_CHUNK));
    const sizes: number[] = [];
    const writer: RequestLogWriter = {
      insert: verifier.lookup.requestLog.insert,
      prune: async (before, limit) => {
        const deleted = await verifier.lookup.requestLog.prune(before, limit);
        sizes.push(deleted);
        return deleted;
      },
    };
    expect(await pruneRequestLog(now, writer)).toBe(old);
    // Several small batches (sized to the time each takes), never one big delete.
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(PRUNE_MAX);
    expect(sizes[0]).toBe(PRUNE_BATCH);
    expect((await t.db.requestLog.findMany({ where: { keyId: key.id } })).map((r) => r.requestId).sort()).toEqual([`req_${old + 1}`, `req_${old + 2}`]);
  });

  it("the Key / Token filter: the writer marks a signed token's entries (via), the page and the CSV filter by it", async () => {
    const { key } = await newKey("Exchanged");
    const now = Date.now();
    // Every 4th entry through a signed token exchanged from the key (its jti), the others the key's own.
    const rows = Array.from({ length: 130 }, (_, i) => ({ ...entry(key.id, i, now - i * 1000), tokenId: i % 4 === 0 ? `jti_${i % 3}` : null }));
    await verifier.lookup.requestLog.insert(rows);
    const stored = await t.db.requestLog.findMany({ where: { keyId: key.id }, select: { tokenId: true, via: true } });
    expect(stored).toHaveLength(130);
    expect(stored.every((r) => r.via === (r.tokenId === null ? "key" : "token"))).toBe(true);

    const tokens = await requestLogPage(t.db, t.fx.acme.id, key.id, { via: "token" });
    expect(tokens.rows.map((r) => r.requestId)).toEqual(rows.filter((r) => r.tokenId).map((r) => r.requestId));
    expect(tokens.next).toBeNull();
    const keys = await requestLogPage(t.db, t.fx.acme.id, key.id, { via: "key" });
    expect(keys.rows).toHaveLength(50);
    expect(keys.rows.every((r) => r.tokenId === null)).toBe(true);
    const older = await requestLogPage(t.db, t.fx.acme.id, key.id, { via: "key", before: keys.next! });
    expect(older.rows[0].at.getTime()).toBeLessThan(keys.rows[49].at.getTime());
    // With another filter: the token's refusals only (i = 0, 20, 40, ...: every 10th refused, every 4th a token).
    const refused = await requestLogPage(t.db, t.fx.acme.id, key.id, { via: "token", outcome: "IP_NOT_ALLOWED" });
    expect(refused.rows.map((r) => r.requestId)).toEqual(["req_0", "req_20", "req_40", "req_60", "req_80", "req_100", "req_120"]);

    const csv = await new Response(requestLogCsvStream(t.db, t.fx.acme.id, key.id, { via: "token" }, 7)).text();
    const lines = csv.trim().split("\r\n");
    expect(lines).toHaveLength(1 + 33);
    expect(lines.slice(1).every((line) => /,jti_\d$/.test(line))).toBe(true);
    expect(parseRequestLogFilters({ via: "tokens" })).toEqual({ filters: null, errors: { via: "Choose Key or Token." } });
    expect(parseRequestLogFilters({ via: "" }).filters).toEqual({});
  });

  it("the key page's log: newest first, filters, pages, hints, and only the tenant's entries", async () => {
    const { key } = await newKey("Page");
    const now = Date.now();
    const rows = Array.from({ length: 120 }, (_, i) => entry(key.id, i, now - i * 60_000));
    // Seen before the last day: not a new address. 203.0.113.9: only today, so new.
    rows.push({ ...entry(key.id, 500, now - 3 * 86_400_000), clientIp: "10.0.0.1" });
    rows.push({ ...entry(key.id, 501, now - 1000), clientIp: "203.0.113.9", outcome: "INSUFFICIENT_SCOPE" });
    // Another tenant's entry with this key id (it can never happen, but it must not show).
    rows.push({ ...entry(key.id, 502, now), tenantId: t.fx.globex.id, requestId: "req_foreign" });
    await verifier.lookup.requestLog.insert(rows);

    const first = await requestLogPage(t.db, t.fx.acme.id, key.id, {});
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0].requestId).toBe("req_0");
    expect(first.rows.map((r) => r.requestId)).not.toContain("req_foreign");
    const times = first.rows.map((r) => r.at.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const second = await requestLogPage(t.db, t.fx.acme.id, key.id, { before: first.next! });
    expect(second.rows[0].at.getTime()).toBeLessThanOrEqual(first.rows[49].at.getTime());
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(100);

    const failed = await requestLogPage(t.db, t.fx.acme.id, key.id, { outcome: "IP_NOT_ALLOWED" });
    // i = 0, 10, ..., 110 of the last two hours, and i = 500 of three days ago.
    expect(failed.rows.length).toBe(13);
    expect(failed.rows.every((r) => r.outcome === "IP_NOT_ALLOWED")).toBe(true);
    const byIp = await requestLogPage(t.db, t.fx.acme.id, key.id, { ip: "198.51.100.7" });
    expect(byIp.rows.every((r) => r.clientIp === "198.51.100.7")).toBe(true);
    const window = await requestLogPage(t.db, t.fx.acme.id, key.id, { from: new Date(now - 10 * 60_000 - 1), to: new Date(now - 5 * 60_000) });
    expect(window.rows.map((r) => r.requestId)).toEqual(["req_5", "req_6", "req_7", "req_8", "req_9", "req_10"]);

    const hints = await requestLogHints(t.db, t.fx.acme.id, key.id, new Date(now + 1));
    expect(hints.newAddresses.map((a) => a.ip).sort()).toEqual(["198.51.100.7", "203.0.113.9"]);
    // 13 failures of the last day, all within its last two hours: spikes against the day's average.
    expect(hints.spikes.length).toBeGreaterThan(0);
    expect(hints.spikes.every((s) => s.failures >= 5)).toBe(true);
    // A quiet key has neither hint.
    const quiet = await newKey("Quiet");
    await verifier.lookup.requestLog.insert([{ ...entry(quiet.key.id, 1, now - 5 * 86_400_000), clientIp: "10.0.0.1" }, { ...entry(quiet.key.id, 2, now), clientIp: "10.0.0.1" }]);
    expect(await requestLogHints(t.db, t.fx.acme.id, quiet.key.id, new Date(now + 1))).toEqual({ newAddresses: [], spikes: [] });
  });
});
