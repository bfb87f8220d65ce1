import { db } from "@/lib/db";
import { apiError, apiFailure, apiJson, apiRoute, ifMatchVersions, keyEtag, methodNotAllowed, readJson } from "@/lib/api/v1";
import { apiKeyPublicSelect, type ApiKeyRow } from "@/lib/api-keys/queries";
import { revokeApiKey, updateApiKey } from "@/lib/api-keys/mutations";
import { toApiKeyJson } from "@/lib/api-keys/serialize";
import { adaptKeyBody } from "../body";

/** A key with its ETag (its version), which PATCH and rotate accept back in If-Match. */
function keyResponse(row: ApiKeyRow, requestId: string) {
  return apiJson(toApiKeyJson(row), requestId, 200, { ETag: keyEtag(row.version) });
}

/** One key of the caller's tenant; another tenant's id is simply not found. */
export const GET = apiRoute("getApiKey", async (_request, { key, requestId }, params) => {
  const row = await db.apiKey.findFirst({ where: { id: params.key_id, tenantId: key.tenantId }, select: apiKeyPublicSelect });
  if (!row) return apiError(404, "not_found", "API key not found.", requestId);
  return keyResponse(row, requestId);
});

/**
 * Metadata only, as the edit form: name, description, groupId, ipAllowlist. With If-Match the
 * change applies only to the version the caller read (412 otherwise).
 */
export const PATCH = apiRoute("updateApiKey", async (request, { requestId, mutation }, params) => {
  const body = await readJson(request, requestId);
  if (!body.ok) return body.response;
  const result = await updateApiKey(db, mutation, params.key_id, adaptKeyBody(body.value), {
    partial: true,
    expectedVersions: ifMatchVersions(request),
  });
  if (!result.ok) return apiFailure(result, requestId);
  return keyResponse(result.value, requestId);
});

/** Revokes the key: permanent, effective on the next request. */
export const DELETE = apiRoute("revokeApiKey", async (_request, { requestId, mutation }, params) => {
  const result = await revokeApiKey(db, mutation, params.key_id);
  if (!result.ok) return apiFailure(result, requestId);
  return keyResponse(result.value, requestId);
});

const notAllowed = methodNotAllowed(["GET", "PATCH", "DELETE"]);
export { notAllowed as POST, notAllowed as PUT };
