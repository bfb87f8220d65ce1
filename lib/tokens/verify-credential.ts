import { syncCaches, verify, type Verifier, type VerifyOptions, type VerifyResult } from "../verify/verify";
import { bearerToken } from "./token-shape";

/**
 * Tokens need Prisma and jose (together about 25 MB of a verifier's memory once loaded): loaded
 * with the first token, so a verifier that only ever sees keys never pays for them. The
 * verifier's bundle keeps them in a chunk of their own (scripts/build-server.mjs splits).
 */
export async function verifyTokenLazily(token: string, options: Parameters<typeof import("./verify-token").verifyToken>[2]): Promise<VerifyResult> {
  const [{ db }, { verifyToken }] = await Promise.all([import("../db"), import("./verify-token")]);
  return verifyToken(db, token, options);
}

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
): VerifyResult | Promise<VerifyResult> {
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
    return verifyTokenLazily(token, { ...options, cacheUsable, usage: verifier.lookup.usage, requestLog: verifier.lookup.requestLog });
  }
  return verify(verifier, apiKey ?? null, options);
}

/** The WWW-Authenticate of a 401: both ways to authenticate. */
export const WWW_AUTHENTICATE = 'ApiKey header="X-API-Key", Bearer realm="keyward"';
