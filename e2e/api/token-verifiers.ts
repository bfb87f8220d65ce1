// Independent verifiers of Keyward's signed tokens, against the running server's JWKS: jose's
// remote JWK Set and jsonwebtoken with jwks-rsa (neither written here). Shared by the API and
// dashboard token specs.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import jwt from "jsonwebtoken";
import jwksClient from "jwks-rsa";

export const ISSUER = "keyward";
export const AUDIENCE = "keyward";

export type Check = { audience?: string; now?: Date };

export function verifiers(baseUrl: string) {
  const jwksUri = `${baseUrl}/.well-known/jwks.json`;
  const remote = createRemoteJWKSet(new URL(jwksUri), { cacheMaxAge: 0 });
  // A bounded fetch: a JWKS request that hangs fails in 5 s (the default is 30 s, the whole test's time).
  const client = jwksClient({ jwksUri, cache: false, timeout: 5_000 });

  async function withJose(token: string, check: Check = {}): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, remote, {
      issuer: ISSUER,
      audience: check.audience ?? AUDIENCE,
      algorithms: ["ES256"],
      currentDate: check.now,
    });
    return payload;
  }

  function withJsonwebtoken(token: string, check: Check = {}): Promise<jwt.JwtPayload> {
    return new Promise((resolve, reject) => {
      jwt.verify(
        token,
        (header, callback) => {
          // getPublicKey() inside the chain: a throw there must fail the check, not leave it pending.
          client
            .getSigningKey(header.kid)
            .then((key) => key.getPublicKey())
            .then((publicKey) => callback(null, publicKey), (error: Error) => callback(error));
        },
        {
          algorithms: ["ES256"],
          issuer: ISSUER,
          audience: check.audience ?? AUDIENCE,
          clockTimestamp: check.now ? Math.floor(check.now.getTime() / 1000) : undefined,
        },
        (error, payload) => (error ? reject(error) : resolve(payload as jwt.JwtPayload)),
      );
    });
  }
  return { withJose, withJsonwebtoken };
}

/** The same claims under alg "none" with an empty signature: must fail everywhere. */
export function algNone(token: string): string {
  const payload = token.split(".")[1];
  return `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`;
}

/** The payload with more scopes, the original signature kept. */
export function tampered(token: string): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, scopes: ["api_keys:read", "api_keys:write", "admin:*"] })).toString("base64url");
  return `${header}.${forged}.${signature}`;
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}
