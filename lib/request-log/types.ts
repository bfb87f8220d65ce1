/**
 * One verification of a known key, as the request log keeps it (lib/request-log/). Times are
 * epoch milliseconds in memory; the writer turns them into each database's timestamp text.
 */
export type RequestSource = "v1" | "authorize" | "verify" | "whoami";

/** What the front door knows about the request; verify() adds the key and the outcome. */
export type RequestContext = {
  id: string;
  source: RequestSource;
  method?: string | null;
  path?: string | null;
  userAgent?: string | null;
};

export type RequestLogEntry = {
  at: number;
  tenantId: string;
  keyId: string;
  /** A signed token's jti (its uses are on the log of the key it was exchanged from); null for a key. */
  tokenId: string | null;
  requestId: string;
  outcome: string;
  clientIp: string | null;
  method: string | null;
  path: string | null;
  userAgent: string | null;
  source: RequestSource;
};

/** Outcome codes, the verify endpoint's (lib/verify/schemas.ts) plus the /v1 gate's own. */
export const REQUEST_OUTCOMES = [
  "VALID",
  "EXPIRED",
  "REVOKED",
  "IP_NOT_ALLOWED",
  "INSUFFICIENT_SCOPE",
  "PREVIOUS_SECRET_READ_ONLY",
  "RATE_LIMITED",
  "USAGE_EXCEEDED",
] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

export const OUTCOME_LABELS: Record<RequestOutcome, string> = {
  VALID: "Valid",
  EXPIRED: "Expired",
  REVOKED: "Revoked",
  IP_NOT_ALLOWED: "IP not allowed",
  INSUFFICIENT_SCOPE: "Insufficient scope",
  PREVIOUS_SECRET_READ_ONLY: "Previous secret (read only)",
  RATE_LIMITED: "Rate limited",
  USAGE_EXCEEDED: "No credits left",
};

/** RequestLog.via: the key itself was presented, or a signed token exchanged from it (tokenId set). */
export const REQUEST_VIA = ["key", "token"] as const;
export type RequestVia = (typeof REQUEST_VIA)[number];

/** What the writer gets: whole chunks, each one multi-row INSERT, written whole or not at all. */
export type RequestLogWriter = {
  insert(entries: RequestLogEntry[]): Promise<void>;
  /** Deletes at most `limit` entries older than `before`; resolves how many it deleted. */
  prune(before: Date, limit: number): Promise<number>;
  /** Stops what the writer started (SQLite: its worker thread). */
  close?(): Promise<void>;
};
