import { db } from "@/lib/db";
import { apiError, apiFailure, apiJson, apiRoute, methodNotAllowed, readJson } from "@/lib/api/v1";
import { exchangeKeyForToken } from "@/lib/tokens/issue";
import { TOKEN_PREFIX } from "@/lib/tokens/presets";

/**
 * Token exchange: an API key gets a signed token with its own scopes (or fewer) that expires
 * with the preset or the key, whichever is first. A token cannot be exchanged for another
 * (that would make an expiring credential renew itself).
 */
export const POST = apiRoute("exchangeToken", async (request, { key, requestId }) => {
  if (key.prefix.startsWith(TOKEN_PREFIX)) {
    return apiError(403, "api_key_required", "Exchange an API key (X-API-Key) for a token; a token cannot be exchanged.", requestId);
  }
  const body = await readJson(request, requestId);
  if (!body.ok) return body.response;
  const result = await exchangeKeyForToken(db, { key, requestId }, body.value);
  if (!result.ok) return apiFailure(result, requestId);
  const { token, claims, kid } = result.value;
  return apiJson({ token, tokenType: "Bearer", kid, expiresAt: new Date(claims.exp * 1000).toISOString(), claims }, requestId, 201);
});

const notAllowed = methodNotAllowed(["POST"]);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
