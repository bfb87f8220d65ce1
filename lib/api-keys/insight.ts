import type { Db } from "@/lib/db/prisma";
import { IDLE_AFTER_DAYS } from "./where";

const DAY = 86_400_000;

/** `rateLimited` and `usageExceeded`: refused by the key's own rate limits or for want of credits. */
export type DailyUsage = { day: string; success: number; failure: number; rateLimited: number; usageExceeded: number };

/** The last `days` UTC days of request counts for one key, oldest first, zero-filled. */
export async function dailyUsage(db: Db, keyId: string, days = 30, now = new Date()): Promise<DailyUsage[]> {
  const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
  const first = dayOf(now.getTime() - (days - 1) * DAY);
  const rows = await db.apiKeyUsageDaily.findMany({ where: { keyId, day: { gte: first } } });
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return Array.from({ length: days }, (_, i) => {
    const day = dayOf(now.getTime() - (days - 1 - i) * DAY);
    const row = byDay.get(day);
    return {
      day,
      success: row?.successCount ?? 0,
      failure: row?.failureCount ?? 0,
      rateLimited: row?.rateLimitedCount ?? 0,
      usageExceeded: row?.usageExceededCount ?? 0,
    };
  });
}

/** Warnings for active keys: expiring within 7 days, unused for 30 days, older than the rotation policy. */
export function keyWarnings(
  key: { status: string; expiresAt: Date | null; lastUsedAt: Date | null; createdAt: Date; rotatedAt: Date | null },
  rotationPolicyDays: number,
  now = new Date(),
) {
  if (key.status !== "active" || (key.expiresAt && key.expiresAt <= now)) return [];
  const warnings: ("expiring_soon" | "idle" | "needs_rotation")[] = [];
  if (key.expiresAt && key.expiresAt.getTime() - now.getTime() <= 7 * DAY) warnings.push("expiring_soon");
  const lastActivity = key.lastUsedAt ?? key.createdAt;
  if (now.getTime() - lastActivity.getTime() >= IDLE_AFTER_DAYS * DAY) warnings.push("idle");
  const age = now.getTime() - (key.rotatedAt ?? key.createdAt).getTime();
  if (age >= rotationPolicyDays * DAY) warnings.push("needs_rotation");
  return warnings;
}
