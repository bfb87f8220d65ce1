import { db } from "@/lib/db";
import { apiFailure, apiKeyResponse, apiRoute, ifMatchVersions, methodNotAllowed } from "@/lib/api/v1";
import { disableApiKey } from "@/lib/api-keys/lifecycle";

/** Disable the key for now (lib/api-keys/lifecycle.ts); no body. With If-Match only the version the caller read (412 otherwise). */
export const POST = apiRoute("disableApiKey", async (request, { requestId, mutation }, params) => {
  const result = await disableApiKey(db, mutation, params.key_id, { expectedVersions: ifMatchVersions(request) });
  if (!result.ok) return apiFailure(result, requestId);
  return apiKeyResponse(result.value, requestId);
});

const notAllowed = methodNotAllowed(["POST"]);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
