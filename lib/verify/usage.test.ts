// Batched usage on the driver: counts and last used land in one flush for many keys, add up
// across flushes, never move last used backwards, skip a key deleted meanwhile, and survive a
// locked database (SQLite: kept for the next flush, not lost, and the flush does not wait).
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededDb, TEST_PROVIDER, type SeededDb } from "../../tests/db";
import { createKeyLookup, type KeyLookup } from "./lookup";
import { flushUsage, recordKeyUse } from "./usage";

describe("batched usage", () => {
  let t: SeededDb;
  let lookup: KeyLookup;
  beforeEach(async () => {
    t = await seededDb("usage");
    lookup = createKeyLookup(t.url);
  });
  afterEach(async () => {
    await flushUsage();
    await lookup.close();
    await t.close();
  });

  const keyIds = () => Object.values(t.fx.keys).filter((k) => k.tenantId === t.fx.acme.id).map((k) => k.id);

  it("writes counts and last used for every key in one flush, and adds up across flushes", async () => {
    const at = new Date("2031-01-02T10:00:00.000Z");
    for (const id of keyIds()) {
      recordKeyUse(lookup.usage, id, true, at);
      recordKeyUse(lookup.usage, id, true, at);
      recordKeyUse(lookup.usage, id, false, at);
    }
    await flushUsage();
    recordKeyUse(lookup.usage, keyIds()[0], true, new Date("2031-01-02T09:00:00.000Z"));
    await flushUsage();
    const rows = await t.db.apiKeyUsageDaily.findMany({ where: { keyId: { in: keyIds() }, day: "2031-01-02" } });
    expect(rows).toHaveLength(keyIds().length);
    const first = rows.find((r) => r.keyId === keyIds()[0])!;
    expect(first).toMatchObject({ successCount: 3, failureCount: 1 });
    const key = await t.db.apiKey.findUniqueOrThrow({ where: { id: keyIds()[0] } });
    // The later 09:00 use did not move last used back from 10:00.
    expect(key.lastUsedAt?.toISOString()).toBe(at.toISOString());
  });

  it("skips a key deleted meanwhile instead of failing the batch", async () => {
    const [gone, kept] = keyIds();
    recordKeyUse(lookup.usage, gone, true);
    recordKeyUse(lookup.usage, kept, true);
    await t.db.apiKeyUsageDaily.deleteMany({ where: { keyId: gone } });
    await t.db.apiKey.delete({ where: { id: gone } });
    await flushUsage();
    expect(await t.db.apiKeyUsageDaily.count({ where: { keyId: kept } })).toBeGreaterThan(0);
    expect(await t.db.apiKeyUsageDaily.count({ where: { keyId: gone } })).toBe(0);
  });

  // SQLite only (another process holding the file's write lock); registered only there, as
  // vitest.postgres.config.ts leaves out SQLite-only files.
  if (TEST_PROVIDER === "sqlite") {
    it("SQLite: a locked database keeps the counts for the next flush, without waiting", async () => {
      const id = keyIds()[0];
      const before = (await t.db.apiKeyUsageDaily.findMany({ where: { keyId: id } })).reduce((n, r) => n + r.successCount, 0);
      recordKeyUse(lookup.usage, id, true);
      const locker = new Database(t.file!);
      locker.exec("BEGIN IMMEDIATE");
      const started = Date.now();
      await flushUsage();
      expect(Date.now() - started).toBeLessThan(1_000);
      locker.exec("ROLLBACK");
      locker.close();
      await flushUsage();
      const after = (await t.db.apiKeyUsageDaily.findMany({ where: { keyId: id } })).reduce((n, r) => n + r.successCount, 0);
      expect(after).toBe(before + 1);
    });
  }
});
