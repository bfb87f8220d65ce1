import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db/prisma";
import { databaseProvider } from "@/lib/db/database-url";
import { config } from "@/lib/config";

/**
 * Sign-in throttling, kept in the database so that every instance sees the same counts.
 *
 * Limits (OWASP's lockout guidance): failures for one account from one address lock that pair
 * only, so an attacker elsewhere cannot lock the owner out; a higher account-wide limit still
 * stops guessing spread over many addresses; and one address may fail only so often in total
 * (credential stuffing across accounts). The window slides: a lock lasts until enough of its
 * failures are older than the window.
 *
 * Every attempt is reserved (written as a failure) before its password is checked, in one
 * serialized transaction with the counts that admit it, and released if the password was right.
 * Counting first and writing after the check let parallel requests all pass the count: 40
 * parallel guesses got 29 password checks, and a right password sent among them a session.
 */
export const LOGIN_WINDOW_MS = config().loginWindowMs;
export const LOGIN_MAX_PER_ACCOUNT_ADDRESS = config().loginMaxPerAccountAddress;
export const LOGIN_MAX_PER_ACCOUNT = config().loginMaxPerAccount;
export const LOGIN_MAX_PER_ADDRESS = config().loginMaxPerAddress;

export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

const RETENTION_MS = 24 * 60 * 60_000;

export type LoginLimits = { windowMs: number; perAccountAddress: number; perAccount: number; perAddress: number };
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  windowMs: LOGIN_WINDOW_MS,
  perAccountAddress: LOGIN_MAX_PER_ACCOUNT_ADDRESS,
  perAccount: LOGIN_MAX_PER_ACCOUNT,
  perAddress: LOGIN_MAX_PER_ADDRESS,
};

/** An attempt admitted for a password check: the rows that count it until it is settled. */
export type LoginReservation = { ids: string[]; pair: string };

/**
 * The address is unknown only when the server cannot vouch for the peer (plain `next start`):
 * then every such client shares one address, which fails closed.
 */
function subjects(email: string, ip: string | null) {
  const address = ip ?? "unknown";
  return { pair: `pair:${email}|${address}`, account: `email:${email}`, address: `ip:${address}` };
}

/**
 * Serializes reservations that share an account or an address. SQLite: the first statement is a
 * write, so the transaction holds the database's write lock from its start (other processes
 * wait on the busy timeout; this process's adapter runs one transaction at a time). PostgreSQL:
 * transaction-scoped advisory locks on the account and the address, taken in a fixed order so
 * that two reservations cannot deadlock.
 */
async function lockSubjects(tx: Tx, keys: string[], now: Date) {
  await tx.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - RETENTION_MS) } } });
  if (databaseProvider() !== "postgresql") return;
  for (const key of [...keys].sort()) {
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))) AS l`;
  }
}

/** Admits the attempt (and counts it as a failure until settled) or refuses it: null. */
export async function reserveLoginAttempt(
  db: Db,
  email: string,
  ip: string | null,
  now = new Date(),
  limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
): Promise<LoginReservation | null> {
  const { pair, account, address } = subjects(email, ip);
  const since = new Date(now.getTime() - limits.windowMs);
  return db.$transaction(async (tx) => {
    await lockSubjects(tx, [account, address], now);
    const count = (subject: string) => tx.loginAttempt.count({ where: { subject, createdAt: { gt: since } } });
    const [byPair, byAccount, byAddress] = [await count(pair), await count(account), await count(address)];
    if (byPair >= limits.perAccountAddress || byAccount >= limits.perAccount || byAddress >= limits.perAddress) {
      return null;
    }
    const rows = [pair, account, address].map((subject) => ({ id: randomUUID(), subject, createdAt: now }));
    await tx.loginAttempt.createMany({ data: rows });
    return { ids: rows.map((row) => row.id), pair };
    // A burst of parallel attempts queues on the locks: wait for a turn rather than fail it.
  }, { maxWait: 15_000, timeout: 20_000 });
}

/**
 * After the password check. A failure keeps its reservation. A success releases it and forgets
 * this pair's earlier failures (the owner mistyping from their own address); the account-wide
 * count keeps other addresses' failures, so a sign-in by the owner does not reset an attack.
 */
export async function settleLoginAttempt(db: Db, reservation: LoginReservation, succeeded: boolean) {
  if (!succeeded) return;
  await db.$transaction((tx) =>
    tx.loginAttempt.deleteMany({ where: { OR: [{ id: { in: reservation.ids } }, { subject: reservation.pair }] } }),
  );
}
