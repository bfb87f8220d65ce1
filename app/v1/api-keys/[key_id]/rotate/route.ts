import { db } from "@/lib/db";
import { apiFailure, apiKeyResponse, apiRoute, ifMatchVersions, methodNotAllowed, readJson } from "@/lib/api/v1";
import { rotateApiKey } from "@/lib/api-keys/mutations";

/**
 * New secret, same configuration. Body (optional): { "overlap": "none" | "1h" | "24h" | "7d" }.
 * With If-Match it rotates only the version the caller read (412 otherwise); without it, of two
 * concurrent rotations the later wins and the earlier caller's new secret is dead at once.
 */
export const POST = apiRoute("rotateApiKey", async (request, { requestId, mutation }, params) => {
  let input: unknown = {};
  if (request.headers.get("content-length") !== "0" && request.headers.get("content-type")) {
    const body = await readJson(request, requestId);
    if (!body.ok) return body.response;
    input = body.value;
  }
  const result = await rotateApiKey(db, mutation, params.key_id, input, { expectedVersions: ifMatchVersions(request) });
  if (!result.ok) return apiFailure(result, requestId);
  // The key as the transaction wrote it: no read-back that could fail after the commit.
  const { key, secret } = result.value;
  return apiKeyResponse(key, requestId, { secret });
});

const notAllowed = methodNotAllowed(["POST"]);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
