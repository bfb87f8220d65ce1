import { db } from "../db";
import { syncCaches, verify, type Verifier, type VerifyOptions, type VerifyResult } from "../verify/verify";
import { bearerToken, verifyToken } from "./verify-token";

/**
 * What the gate points call (the /v1 gate, forward-auth, the routes under plain `next start`):
 * an X-API-Key is verified as a key, as before; without one, a signed token in
 * `Authorization: Bearer` is verified as a token; with neither, verify() answers its 401.
 */
export function verifyKeyOrToken(
  verifier: Verifier,
  apiKey: string | null | undefined,
  authorization: string | null | undefined,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const token = apiKey ? null : bearerToken(authorization);
  if (token !== null) {
    // The key cache's trust decides the token cache's (lib/tokens/token-cache.ts); if the check of
    // the database's change counter fails, the database answers (or verifyToken reports 503).
    let cacheUsable = false;
    try {
      cacheUsable = options.cacheUsable ?? syncCaches(verifier);
    } catch {
      cacheUsable = false;
    }
    return verifyToken(db, token, { ...options, cacheUsable, usage: verifier.lookup.usage });
  }
  return verify(verifier, apiKey ?? null, options);
}

/** The WWW-Authenticate of a 401: both ways to authenticate. */
export const WWW_AUTHENTICATE = 'ApiKey header="X-API-Key", Bearer realm="keyward"';
