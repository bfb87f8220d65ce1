import Database from "better-sqlite3";
import type pg from "pg";

/**
 * Writes credit spends with the driver (like lib/verify/usage-writer.ts). A spend applies only
 * to the credit version it was made under (an edit of the credits in between wins) and to its
 * refill period: the first write in a new period starts from the refill amount.
 */
export type CreditSpend = { keyId: string; version: number; period: string | null; spent: number };
export type CreditWriter = { write(spends: CreditSpend[]): Promise<void> };

const REFILL_DUE = `(@period IS NOT NULL AND ("creditsRefilledAt" IS NULL OR "creditsRefilledAt" < @period))`;
const SQLITE_SQL = `UPDATE "ApiKey" SET
    "credits" = CASE WHEN ${REFILL_DUE} THEN MAX(COALESCE("creditsRefillAmount", 0) - @spent, 0) ELSE MAX("credits" - @spent, 0) END,
    "creditsRefilledAt" = CASE WHEN ${REFILL_DUE} THEN @period ELSE "creditsRefilledAt" END
  WHERE "id" = @id AND "credits" IS NOT NULL AND "creditsVersion" = @version
    AND (@period IS NULL OR "creditsRefilledAt" IS NULL OR "creditsRefilledAt" <= @period)`;

const byPeriod = (a: CreditSpend, b: CreditSpend) => (a.period ?? "").localeCompare(b.period ?? "");

/**
 * On the lookup's own connection (lib/verify/lookup.ts), like the usage writer: these commits are
 * not another connection's change, so they do not empty the key cache. A flush never waits for a
 * lock (SQLITE_BUSY: kept for the next flush): busy timeout 0 while it runs.
 */
/**
 * `counter`: the key change counter (lib/verify/lookup.ts), read at the start and the end of the
 * write's transaction (its UPDATEs bump it) and handed to `committed` once the write committed.
 */
export type CounterHooks = { read(): number; committed(before: number, after: number): void };

export function sqliteCreditWriter(connection: () => Database.Database, busyTimeout: number, counter?: CounterHooks): CreditWriter {
  return {
    async write(spends) {
      const db = connection();
      const statement = db.prepare(SQLITE_SQL);
      let before = 0;
      let after = 0;
      db.pragma("busy_timeout = 0");
      try {
        db.transaction(() => {
          if (counter) before = counter.read();
          for (const s of [...spends].sort(byPeriod)) statement.run({ id: s.keyId, version: s.version, period: s.period, spent: s.spent });
          if (counter) after = counter.read();
        }).immediate();
      } finally {
        db.pragma(`busy_timeout = ${busyTimeout}`);
      }
      counter?.committed(before, after);
    },
  };
}

const PG_DUE = `(u.period IS NOT NULL AND (k."creditsRefilledAt" IS NULL OR k."creditsRefilledAt" < u.period))`;
const PG_SQL = `UPDATE "ApiKey" k SET
    "credits" = CASE WHEN ${PG_DUE} THEN GREATEST(COALESCE(k."creditsRefillAmount", 0) - u.spent, 0) ELSE GREATEST(k."credits" - u.spent, 0) END,
    "creditsRefilledAt" = CASE WHEN ${PG_DUE} THEN u.period ELSE k."creditsRefilledAt" END
  FROM unnest($1::text[], $2::int[], $3::text[], $4::int[]) AS u(id, version, period, spent)
  WHERE k."id" = u.id AND k."credits" IS NOT NULL AND k."creditsVersion" = u.version
    AND (u.period IS NULL OR k."creditsRefilledAt" IS NULL OR k."creditsRefilledAt" <= u.period)`;

/** `pool`: the lookup's pool, opened with its first query. */
export function pgCreditWriter(pool: () => Promise<pg.Pool>): CreditWriter {
  return {
    async write(spends) {
      // UPDATE ... FROM changes a row once per statement: a key with spends in two periods (a
      // refill between flushes) needs a second round, older period first.
      const rounds: CreditSpend[][] = [];
      const sorted = [...spends].sort(byPeriod);
      for (const spend of sorted) {
        let round = rounds.find((r) => !r.some((s) => s.keyId === spend.keyId));
        if (!round) rounds.push((round = []));
        round.push(spend);
      }
      for (const round of rounds) {
        await (await pool()).query(PG_SQL, [round.map((s) => s.keyId), round.map((s) => s.version), round.map((s) => s.period), round.map((s) => s.spent)]);
      }
    },
  };
}
