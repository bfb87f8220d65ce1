import { db } from "@/lib/db";
import { apiError, apiFailure, apiKeyResponse, apiRoute, ifMatchVersions, methodNotAllowed, readJson } from "@/lib/api/v1";
import { findApiKey } from "@/lib/api-keys/queries";
import { revokeApiKey, updateApiKey } from "@/lib/api-keys/mutations";

/** One key of the caller's tenant; another tenant's id is simply not found. */
export const GET = apiRoute("getApiKey", async (_request, { key, requestId }, params) => {
  const row = await findApiKey(db, key.tenantId, params.key_id);
  if (!row) return apiError(404, "not_found", "API key not found.", requestId);
  return apiKeyResponse(row, requestId);
});

/**
 * Metadata only, as the edit form: name, description, groupId, ipAllowlist. With If-Match the
 * change applies only to the version the caller read (412 otherwise).
 */
export const PATCH = apiRoute("updateApiKey", async (request, { requestId, mutation }, params) => {
  const body = await readJson(request, requestId);
  if (!body.ok) return body.response;
  const result = await updateApiKey(db, mutation, params.key_id, body.value, {
    partial: true,
    expectedVersions: ifMatchVersions(request),
  });
  if (!result.ok) return apiFailure(result, requestId);
  return apiKeyResponse(result.value, requestId);
});

/** Revokes the key: permanent, effective on the next request. */
export const DELETE = apiRoute("revokeApiKey", async (_request, { requestId, mutation }, params) => {
  const result = await revokeApiKey(db, mutation, params.key_id);
  if (!result.ok) return apiFailure(result, requestId);
  return apiKeyResponse(result.value, requestId);
});

const notAllowed = methodNotAllowed(["GET", "PATCH", "DELETE"]);
export { notAllowed as POST, notAllowed as PUT };
