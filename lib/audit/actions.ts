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
  "service_account.created",
  "service_account.updated",
  "service_account.deleted",
  "environment.created",
  "environment.deleted",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who acted (AuditEvent.actorType): a person, an API key (a service account's, or any key), Keyward itself. */
export const AUDIT_ACTOR_TYPES = ["user", "api_key", "system"] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];
export const ACTOR_TYPE_LABELS: Record<AuditActorType, string> = { user: "User", api_key: "API key / service account", system: "System" };

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
  "service_account.created": "Service account created",
  "service_account.updated": "Service account edited",
  "service_account.deleted": "Service account deleted",
  "environment.created": "Environment created",
  "environment.deleted": "Environment deleted",
};
