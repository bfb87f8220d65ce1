import { EXPIRING_SOON_MS } from "./schemas";

export type KeyDisplayStatus = "active" | "disabled" | "revoked" | "expired";
export type ExpiryState = "never" | "valid" | "expiring_soon" | "expired";

type KeyDates = { status: string; expiresAt: Date | string | null };

function time(value: Date | string | null): number | null {
  return value === null ? null : new Date(value).getTime();
}

export function expiryState(key: Pick<KeyDates, "expiresAt">, now = Date.now()): ExpiryState {
  const expires = time(key.expiresAt);
  if (expires === null) return "never";
  if (expires <= now) return "expired";
  return expires - now <= EXPIRING_SOON_MS ? "expiring_soon" : "valid";
}

/** What the status badge says: revoked wins over expired, and expired over disabled. */
export function displayStatus(key: KeyDates, now = Date.now()): KeyDisplayStatus {
  if (key.status === "revoked") return "revoked";
  if (expiryState(key, now) === "expired") return "expired";
  return key.status === "disabled" ? "disabled" : "active";
}

/** Only an active, unexpired key can authenticate, be edited or be rotated. */
export function isUsable(key: KeyDates, now = Date.now()): boolean {
  return displayStatus(key, now) === "active";
}
