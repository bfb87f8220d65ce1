// SQLite in rollback-journal mode: another process reading the file can make COMMIT fail with
// SQLITE_BUSY. The adapter used to leave its one connection inside that transaction, holding its
// lock, so every later transaction waited forever and plain statements ran inside the
// abandoned one (prisma/prisma#29933). Now the failed transaction is rolled back, nothing of it
// stays, and the next change works once the reader is gone. SQLite only (excluded from the
// PostgreSQL phase in vitest.postgres.config.ts). Keyward runs SQLite in WAL mode, where readers
// never block COMMIT; this is the mode a restored or hand-made database file may be in.
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { seededDb, type SeededDb } from "../../tests/db";
import { createPrismaClient, type Db } from "./prisma";

let t: SeededDb;
let db: Db | null = null;
let reader: Database.Database | null = null;

afterEach(async () => {
  reader?.close();
  reader = null;
  await db?.$disconnect();
  db = null;
  delete process.env.KEYWARD_SQLITE_BUSY_TIMEOUT_MS;
  await t.close();
});

it("a COMMIT refused by SQLITE_BUSY rolls back whole and frees the connection for the next transaction", async () => {
  t = await seededDb("keyward-sqlite-commit");
  await t.db.$disconnect();
  const setup = new Database(t.file!);
  setup.pragma("journal_mode = DELETE");
  setup.close();
  process.env.KEYWARD_SQLITE_BUSY_TIMEOUT_MS = "200";
  db = createPrismaClient(t.url);
  const keyId = t.fx.keys["Mobile App"].id;
  await db.apiKey.findUniqueOrThrow({ where: { id: keyId } });

  // Another process in the middle of a read: its SHARED lock keeps COMMIT from writing the file.
  reader = new Database(t.file!);
  reader.exec("BEGIN");
  reader.prepare(`SELECT COUNT(*) FROM "ApiKey"`).get();

  const failed = await db
    .$transaction(async (tx) => {
      await tx.apiKey.update({ where: { id: keyId }, data: { name: "Never committed" } });
    })
    .then(
      () => null,
      (error: unknown) => error,
    );
  expect(String(failed)).toMatch(/timed out|timeout|busy|locked/i);

  reader.exec("COMMIT");
  reader.close();
  reader = null;

  // Nothing of the failed transaction, and plain reads run outside any transaction.
  expect((await db.apiKey.findUniqueOrThrow({ where: { id: keyId } })).name).toBe("Mobile App");
  // The next transaction starts at once (it used to wait for a lock that was never released).
  const started = Date.now();
  await db.$transaction(async (tx) => {
    await tx.apiKey.update({ where: { id: keyId }, data: { name: "Committed later" } });
  }, { maxWait: 2_000 });
  expect(Date.now() - started).toBeLessThan(2_000);
  const check = new Database(t.file!, { readonly: true });
  try {
    expect(check.prepare(`SELECT "name" FROM "ApiKey" WHERE "id" = ?`).get(keyId)).toEqual({ name: "Committed later" });
  } finally {
    check.close();
  }
}, 15_000);
