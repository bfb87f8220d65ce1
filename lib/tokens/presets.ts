/**
 * The expiry presets of signed tokens (seed 004): a token always expires, and only at one of
 * these. Pure data: the dashboard's form, the API's schema and OpenAPI read the same list.
 */
export const TOKEN_EXPIRY_PRESETS = {
  "15m": { seconds: 15 * 60, label: "15 minutes", goodFor: "CLI smoke tests" },
  "1h": { seconds: 60 * 60, label: "1 hour", goodFor: "Short automation" },
  "8h": { seconds: 8 * 60 * 60, label: "8 hours", goodFor: "A full workday" },
  "24h": { seconds: 24 * 60 * 60, label: "24 hours", goodFor: "Daily rotation" },
  "7d": { seconds: 7 * 24 * 60 * 60, label: "7 days", goodFor: "Temporary integration" },
  "30d": { seconds: 30 * 24 * 60 * 60, label: "30 days", goodFor: "Longer-lived service" },
} as const;

export type TokenExpiryPreset = keyof typeof TOKEN_EXPIRY_PRESETS;
export const TOKEN_EXPIRY_PRESET_IDS = Object.keys(TOKEN_EXPIRY_PRESETS) as [TokenExpiryPreset, ...TokenExpiryPreset[]];

/** The longest a token lives: a retired signing key stays published at most this long. */
export const MAX_TOKEN_LIFETIME_SECONDS = TOKEN_EXPIRY_PRESETS["30d"].seconds;

/** A token's display prefix in lists and on the /v1 principal, e.g. "jwt_3fA9xQ2b". */
export const TOKEN_PREFIX = "jwt_";
export function tokenDisplayPrefix(jti: string): string {
  return TOKEN_PREFIX + jti.slice(0, 8);
}
