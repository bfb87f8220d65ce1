import { EXPIRING_SOON_MS } from "./constants";

export type KeyDisplayStatus = "active" | "disabled" | "revoked" | "expired";
export type ExpiryState = "never" | "valid" | "expiring_soon" | "expired";

type KeyDates = { status: string; expiresAt: Date | string | null };

function time(value: Date | string | null): number | null {
  return value === null ? null : new Date(value).getTime();
}

/** The share of a key's lifetime, at its end, in which it counts as expiring soon. */
export const EXPIRING_SOON_SHARE = 0.2;

/**
 * The instant (ms) from which a key counts as expiring soon: the last 20% of its lifetime
 * (created to expires), at most EXPIRING_SOON_MS. Scaled so that a 1-hour or a 7-day key is
 * not flagged the moment it is made; null for a key that never expires. This is the one rule:
 * the badge, the warnings, the list filters and the counts all call it (where.ts).
 */
export function expiringSoonFrom(key: { createdAt: Date | string; expiresAt: Date | string | null }): number | null {
  const expires = time(key.expiresAt);
  if (expires === null) return null;
  const lifetime = Math.max(0, expires - new Date(key.createdAt).getTime());
  return expires - Math.min(EXPIRING_SOON_MS, lifetime * EXPIRING_SOON_SHARE);
}

/** Active, not yet expired, and inside the end of its lifetime; never a revoked key. */
export function isExpiringSoon(
  key: { status: string; createdAt: Date | string; expiresAt: Date | string | null },
  now = Date.now(),
): boolean {
  const from = expiringSoonFrom(key);
  const expires = time(key.expiresAt);
  return key.status === "active" && from !== null && expires !== null && now >= from && now < expires;
}

export function expiryState(
  key: { status: string; createdAt: Date | string; expiresAt: Date | string | null },
  now = Date.now(),
): ExpiryState {
  const expires = time(key.expiresAt);
  if (expires === null) return "never";
  if (expires <= now) return "expired";
  return isExpiringSoon(key, now) ? "expiring_soon" : "valid";
}

/** What the status badge says: revoked wins over expired, and expired over disabled. */
export function displayStatus(key: KeyDates, now = Date.now()): KeyDisplayStatus {
  if (key.status === "revoked") return "revoked";
  const expires = time(key.expiresAt);
  if (expires !== null && expires <= now) return "expired";
  return key.status === "disabled" ? "disabled" : "active";
}

/** Only an active, unexpired key can authenticate, be edited or be rotated. */
export function isUsable(key: KeyDates, now = Date.now()): boolean {
  return displayStatus(key, now) === "active";
}
