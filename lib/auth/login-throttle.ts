import type { Db } from "@/lib/db/prisma";

/**
 * Sign-in throttling: after too many failures for one account or from one address within the
 * window, further attempts are refused without checking the password. Kept in the database so
 * that every instance sees the same counts.
 */
export const LOGIN_WINDOW_MS = Number(process.env.KEYWARD_LOGIN_WINDOW_MS ?? 15 * 60_000);
export const LOGIN_MAX_PER_ACCOUNT = Number(process.env.KEYWARD_LOGIN_MAX_PER_ACCOUNT ?? 5);
export const LOGIN_MAX_PER_ADDRESS = Number(process.env.KEYWARD_LOGIN_MAX_PER_ADDRESS ?? 20);

export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

const subjects = (email: string, ip: string | null) => ({ account: `email:${email}`, address: ip ? `ip:${ip}` : null });

export async function isLoginThrottled(db: Db, email: string, ip: string | null, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const { account, address } = subjects(email, ip);
  const [byAccount, byAddress] = await Promise.all([
    db.loginAttempt.count({ where: { subject: account, createdAt: { gt: since } } }),
    address ? db.loginAttempt.count({ where: { subject: address, createdAt: { gt: since } } }) : 0,
  ]);
  return byAccount >= LOGIN_MAX_PER_ACCOUNT || byAddress >= LOGIN_MAX_PER_ADDRESS;
}

export async function recordLoginFailure(db: Db, email: string, ip: string | null, now = new Date()) {
  const { account, address } = subjects(email, ip);
  // In a transaction: on SQLite a plain write could otherwise join another request's open one.
  await db.$transaction(async (tx) => {
    await tx.loginAttempt.create({ data: { subject: account, createdAt: now } });
    if (address) await tx.loginAttempt.create({ data: { subject: address, createdAt: now } });
    await tx.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - 24 * 60 * 60_000) } } });
  });
}

export async function clearLoginFailures(db: Db, email: string) {
  await db.$transaction((tx) => tx.loginAttempt.deleteMany({ where: { subject: `email:${email}` } }));
}
