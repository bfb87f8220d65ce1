import { db } from "@/lib/db";
import { methodNotAllowed } from "@/lib/api/v1";
import { activeSigningKey, publishedKeys } from "@/lib/tokens/signing-keys";

/**
 * The public keys that verify Keyward's signed tokens (RFC 7517), each with its kid. A short
 * max-age: a rotated-in key must reach verifiers soon (jose's createRemoteJWKSet and jwks-rsa
 * also refetch on an unknown kid), and a retired key leaves once every token it signed has
 * expired (lib/tokens/signing-keys.ts). The first key is made here if none exists, so a
 * verifier started before any token was issued still gets one.
 */
export const dynamic = "force-dynamic";

export async function GET() {
  let keys = await publishedKeys(db);
  if (keys.length === 0) {
    await activeSigningKey(db);
    keys = await publishedKeys(db);
  }
  return Response.json({ keys }, { headers: { "Cache-Control": "public, max-age=300, must-revalidate", "X-Content-Type-Options": "nosniff" } });
}

const notAllowed = methodNotAllowed(["GET"]);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
