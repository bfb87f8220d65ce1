// What a search box's text means for the key list, shared by the dashboard's toolbar (which
// cuts a pasted key before it reaches the URL) and the list query (GET /v1/api-keys too).
// No node:crypto here: the browser bundle imports it.

// A whole key (kw_ + 38 base62 characters, key-format.ts) pasted from a log or a config file:
// only its display prefix (kw_ + 8) is searched for, so the secret never reaches a URL, a
// browser's history or an access log.
const WHOLE_KEY = /^(kw_[0-9A-Za-z]{8})[0-9A-Za-z]{30}$/;

/**
 * The text to look for: trimmed, a whole key cut to its prefix, and the ellipsis the dashboard
 * prints after a prefix ("kw_AbCd1234…") dropped, so a prefix copied from the list finds its key.
 */
export function searchTerm(query: string): string {
  const text = query.trim().replace(/(…|\.\.\.)$/u, "").trim();
  return WHOLE_KEY.exec(text)?.[1] ?? text;
}
