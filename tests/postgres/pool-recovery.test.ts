// Connections killed inside open interactive transactions (pg_terminate_backend, as a database
// restart does) must not cost their pool slots: before lib/db/pg-pool.ts, three such
// transactions on a pool of three left every later query waiting for a connection until the
// process restarted (issue 11, item 1).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "../../lib/db/prisma";
import { newDatabase } from "./pg";

describe("PostgreSQL pool after terminated transactions", () => {
  let url: string;
  let db: Db;
  let admin: pg.Client;

  beforeAll(async () => {
    url = await newDatabase("pool");
    process.env.KEYWARD_DB_POOL_SIZE = "3";
    process.env.KEYWARD_DB_CONNECT_TIMEOUT_MS = "2000";
    db = createPrismaClient(url);
    delete process.env.KEYWARD_DB_POOL_SIZE;
    delete process.env.KEYWARD_DB_CONNECT_TIMEOUT_MS;
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await db?.$disconnect();
  });

  it("every slot of a pool of three survives its transaction's backend being terminated, twice over", async () => {
    for (let round = 0; round < 2; round++) {
      const pids: number[] = [];
      let release!: () => void;
      const hold = new Promise<void>((resolve) => (release = resolve));
      const transactions = Array.from({ length: 3 }, () =>
        db.$transaction(
          async (tx) => {
            const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
            pids.push(row.pid);
            await hold;
            await tx.$queryRaw`SELECT 1`;
          },
          { maxWait: 5_000, timeout: 20_000 },
        ),
      );
      const started = Date.now();
      while (pids.length < 3 && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(pids).toHaveLength(3);
      await admin.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [pids]);
      release();
      const outcomes = await Promise.allSettled(transactions);
      expect(outcomes.every((outcome) => outcome.status === "rejected")).toBe(true);

      // All three slots are usable again: three transactions at once, each within the 5 s bound.
      const before = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 3 }, () => db.$transaction(async (tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`, { maxWait: 5_000 })),
      );
      expect(answers.map((rows) => rows[0].one)).toEqual([1, 1, 1]);
      expect(Date.now() - before).toBeLessThan(5_000);
    }
  }, 60_000);
});
