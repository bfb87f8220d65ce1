// What a signed token looks like, without jose or the database (lib/tokens/verify-credential.ts
// decides with these whether to load verify-token.ts at all).
export const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Shaped like a JWT (three base64url parts): POST /v1/keys/verify checks it as a token. */
export function looksLikeToken(candidate: string): boolean {
  return JWT_SHAPE.test(candidate);
}

/** The bearer credential of an Authorization header when it is not a root key, else null. */
export function bearerToken(authorization: string | undefined | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match || match[1].startsWith("kwr_")) return null;
  return match[1];
}
