import type { LimitDecision } from "./decision";

/**
 * Response headers of a refusal by a key's limits, for /v1 and forward-auth: Retry-After
 * (seconds) and the IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-10/11,
 * structured-field lists): RateLimit-Policy names every window with its quota `q` and window
 * `w` in seconds; RateLimit gives the exhausted window's remaining `r` and seconds to reset `t`.
 */
export function limitHeaders(decision: LimitDecision): Record<string, string> {
  if (decision.ok || decision.reason === "unavailable") return decision.ok ? {} : { "Retry-After": "1" };
  if (decision.reason === "usage_exceeded") {
    return decision.retryAfterMs === null ? {} : { "Retry-After": String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))) };
  }
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  return {
    "Retry-After": String(seconds),
    "RateLimit-Policy": decision.windows.map((w) => `"${w.name}";q=${w.limit};w=${w.windowMs / 1000}`).join(", "),
    RateLimit: `"${decision.window.name}";r=0;t=${seconds}`,
  };
}
