export const AUDIT_ACTIONS = [
  "api_key.created",
  "api_key.updated",
  "api_key.rotated",
  "api_key.revoked",
  "api_key.revoked_all",
  "tenant.limit_changed",
  "user.sessions_ended",
  "token.issued",
  "token.revoked",
  "group.rate_limits_changed",
  "api_key.disabled",
  "api_key.enabled",
  "api_key.overlap_ended",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  "api_key.created": "Key created",
  "api_key.updated": "Key edited",
  "api_key.rotated": "Key rotated",
  "api_key.revoked": "Key revoked",
  "api_key.revoked_all": "All keys revoked",
  "tenant.limit_changed": "Key limit changed",
  "user.sessions_ended": "Sessions ended",
  "token.issued": "Token issued",
  "token.revoked": "Token revoked",
  "group.rate_limits_changed": "Group rate limits changed",
  "api_key.disabled": "Key disabled",
  "api_key.enabled": "Key re-enabled",
  "api_key.overlap_ended": "Rotation overlap ended",
};
