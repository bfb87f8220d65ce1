// A bad day on SQLite: another process holds the database's exclusive lock. Verification of a
// key that is not cached answers 503 (never 200, never a crash), a change fails whole (nothing
// half-written), and both work again by themselves once the lock is gone.
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "../../tests/db";
import { createPrismaClient, type Db } from "../db/prisma";
import { clearKeyCache } from "../api-keys/key-cache";
import { createApiKey, revokeApiKey } from "../api-keys/mutations";
import { resetAuthFailures } from "./rate-limit";
import { createKeyLookup } from "./lookup";
import { verify } from "./verify";

describe("database locked by another process", () => {
  let t: SeededDb;
  let db: Db;
  let locker: Database.Database | null = null;

  afterEach(async () => {
    locker?.close();
    locker = null;
    await db?.$disconnect();
    await t?.close();
  });

  it("verification answers 503, changes fail whole, and both recover when the lock is released", async () => {
    t = await seededDb("faults");
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    const created = await createApiKey(t.db, ctx, { name: "Fault key", groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(created.error.message);
    const { secret, key } = created.value;

    // In WAL mode only an exclusive locking mode shuts readers out (as a backup or repair tool
    // might), and it can be taken only while no other connection has the file open.
    await t.db.$disconnect();
    locker = new Database(t.file!);
    locker.pragma("locking_mode = EXCLUSIVE");
    locker.exec("BEGIN EXCLUSIVE");
    locker.prepare(`UPDATE "Tenant" SET "keyLimit" = "keyLimit"`).run();

    process.env.KEYWARD_SQLITE_BUSY_TIMEOUT_MS = "500";
    db = createPrismaClient(t.url);
    const verifier = { lookup: createKeyLookup(t.url) };
    delete process.env.KEYWARD_SQLITE_BUSY_TIMEOUT_MS;
    clearKeyCache();
    resetAuthFailures();

    const blocked = await verify(verifier, secret, { clientIp: "127.0.0.1" });
    expect(blocked).toMatchObject({ ok: false, status: 503, code: "unavailable" });

    await expect(revokeApiKey(db, ctx, key.id)).rejects.toThrow();

    locker.exec("COMMIT");
    locker.close();
    locker = null;

    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.status).toBe("active");
    expect(await db.auditEvent.count({ where: { tenantId: t.fx.acme.id, action: "api_key.revoked" } })).toBe(0);

    expect(await verify(verifier, secret, { clientIp: "127.0.0.1" })).toMatchObject({ ok: true });
    const revoked = await revokeApiKey(db, ctx, key.id);
    expect(revoked.ok).toBe(true);
    expect(await verify(verifier, secret, { clientIp: "127.0.0.1" })).toMatchObject({ ok: false, status: 401 });
    await verifier.lookup.close();
  }, 60_000);

  it("an open read transaction in another process neither blocks nor breaks commits (WAL)", async () => {
    t = await seededDb("faults-reader");
    const ctx = userContext(t.fx.acme.id, t.fx.users.admin);
    db = t.db;
    locker = new Database(t.file!);
    expect(locker.pragma("journal_mode", { simple: true })).toBe("wal");
    locker.exec("BEGIN");
    locker.prepare(`SELECT COUNT(*) FROM "ApiKey"`).get();
    for (let i = 0; i < 3; i++) {
      const created = await createApiKey(db, ctx, { name: `Under a reader ${i}`, groupId: t.fx.groups.acmeFull.id });
      expect(created.ok).toBe(true);
    }
    locker.exec("COMMIT");
    expect(await db.apiKey.count({ where: { name: { startsWith: "Under a reader" } } })).toBe(3);
  }, 60_000);
});
