import type { Db } from "@/lib/db/prisma";
import { dummyPasswordHash, verifyPassword } from "./password";
import { reserveLoginAttempt, settleLoginAttempt, type LoginLimits, DEFAULT_LOGIN_LIMITS } from "./login-throttle";

export type SignInUser = { id: string; email: string; name: string };
export type SignInOutcome = { ok: true; user: SignInUser } | { ok: false; reason: "invalid" | "throttled" };

/**
 * The credentials check behind next-auth's sign-in: reserve the attempt, then check the
 * password, then settle. A refused attempt checks no password at all.
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ip: string | null },
  limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
): Promise<SignInOutcome> {
  const email = input.email.toLowerCase();
  const reservation = await reserveLoginAttempt(db, email, input.ip, new Date(), limits);
  if (!reservation) return { ok: false, reason: "throttled" };
  const user = await db.user.findUnique({ where: { email } });
  // Unknown email and wrong password take the same time and give the same answer.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  await settleLoginAttempt(db, reservation, !!user && ok);
  if (!user || !ok) return { ok: false, reason: "invalid" };
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
