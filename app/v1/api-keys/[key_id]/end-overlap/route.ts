import { db } from "@/lib/db";
import { apiFailure, apiKeyResponse, apiRoute, ifMatchVersions, methodNotAllowed } from "@/lib/api/v1";
import { endRotationOverlap } from "@/lib/api-keys/lifecycle";

/** End a running rotation overlap now (lib/api-keys/lifecycle.ts); no body. With If-Match only the version the caller read (412 otherwise). */
export const POST = apiRoute("endRotationOverlap", async (request, { requestId, mutation }, params) => {
  const result = await endRotationOverlap(db, mutation, params.key_id, { expectedVersions: ifMatchVersions(request) });
  if (!result.ok) return apiFailure(result, requestId);
  return apiKeyResponse(result.value, requestId);
});

const notAllowed = methodNotAllowed(["POST"]);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
