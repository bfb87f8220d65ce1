// Requests that share one Prisma client never see each other's uncommitted writes. On SQLite the
// adapter has one connection: a plain statement issued while another request's interactive
// transaction was open used to run inside that transaction (lib/db/sqlite-adapter.ts). On
// PostgreSQL (the PostgreSQL phase) each statement has its own pooled connection.
import { afterEach, beforeEach, expect, it } from "vitest";
import { seededDb, type SeededDb } from "../../tests/db";
import type { Tx } from "./prisma";

let t: SeededDb;
beforeEach(async () => {
  t = await seededDb("keyward-isolation");
});
afterEach(async () => {
  await t.close();
});

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Settles as `promise` does, and tells whether it has settled yet. */
function track<T>(promise: Promise<T>) {
  const state = { settled: false, result: promise.finally(() => (state.settled = true)) };
  return state;
}

/**
 * Inside an open transaction: lets other requests' statements run for a while (the
 * transaction's own statements are real round trips through Prisma and the driver, so a
 * statement issued before them has had every chance to run) unless `done` says they did.
 */
async function holdOpen(tx: Tx, done: () => boolean) {
  for (let i = 0; i < 25 && !done(); i++) await tx.tenant.count();
}

const ROLLBACK = new Error("rolled back on purpose");

it("a read issued while another request's transaction is open sees only committed rows", async () => {
  const keyId = t.fx.keys["Mobile App"].id;
  const written = gate();
  const readIssued = gate();
  let read: ReturnType<typeof track<{ name: string }>> | null = null;
  const transaction = t.db
    .$transaction(async (tx) => {
      await tx.apiKey.update({ where: { id: keyId }, data: { name: "Uncommitted name" } });
      await tx.apiKey.create({
        data: { tenantId: t.fx.acme.id, groupId: t.fx.groups.acmeFull.id, name: "Uncommitted key", prefix: "kw_uncomm", hash: "f".repeat(64) },
      });
      written.open();
      await readIssued.opened;
      await holdOpen(tx, () => read!.settled);
      throw ROLLBACK;
    })
    .catch((error: unknown) => error);

  await written.opened;
  read = track(
    Promise.all([
      t.db.apiKey.findUniqueOrThrow({ where: { id: keyId }, select: { name: true } }),
      t.db.apiKey.count({ where: { name: "Uncommitted key" } }),
    ]).then(([row, uncommitted]) => ({ name: `${row.name}; uncommitted keys seen: ${uncommitted}` })),
  );
  readIssued.open();

  expect(await transaction).toBe(ROLLBACK);
  expect((await read.result).name).toBe("Mobile App; uncommitted keys seen: 0");
});

it("a plain write made while another request's transaction is open is kept when that transaction rolls back", async () => {
  const mine = t.fx.keys["Mobile App"].id;
  const theirs = t.fx.keys["ERP Integration"].id;
  const written = gate();
  const writeIssued = gate();
  let write: ReturnType<typeof track<unknown>> | null = null;
  const transaction = t.db
    .$transaction(async (tx) => {
      await tx.apiKey.update({ where: { id: theirs }, data: { name: "Their rolled back name" } });
      written.open();
      await writeIssued.opened;
      await holdOpen(tx, () => write!.settled);
      throw ROLLBACK;
    })
    .catch((error: unknown) => error);

  await written.opened;
  write = track(t.db.apiKey.update({ where: { id: mine }, data: { description: "written outside" } }));
  writeIssued.open();

  expect(await transaction).toBe(ROLLBACK);
  await write.result;
  const rows = await t.db.apiKey.findMany({ where: { id: { in: [mine, theirs] } }, select: { id: true, name: true, description: true } });
  expect(rows.find((r) => r.id === mine)?.description).toBe("written outside");
  expect(rows.find((r) => r.id === theirs)?.name).toBe("ERP Integration");
});

it("reads see a transaction's rows as soon as it commits, and transactions still run one after another", async () => {
  const results = await Promise.all(
    ["One", "Two", "Three"].map((label) =>
      t.db.$transaction(async (tx) => {
        const before = await tx.apiKey.count({ where: { tenantId: t.fx.acme.id } });
        await tx.apiKey.create({
          data: { tenantId: t.fx.acme.id, groupId: t.fx.groups.acmeFull.id, name: `Committed ${label}`, prefix: `kw_c${label}`, hash: label.padEnd(64, "0") },
        });
        return before;
      }),
    ),
  );
  // SQLite: one connection, so one transaction after another, each seeing the ones before it.
  if (t.provider === "sqlite") expect(new Set(results).size).toBe(3);
  expect(await t.db.apiKey.count({ where: { name: { startsWith: "Committed " } } })).toBe(3);
});
