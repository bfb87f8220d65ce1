import { db } from "@/lib/db";
import { apiError, apiFailure, apiJson, apiRoute, methodNotAllowed, readJson } from "@/lib/api/v1";
import { apiKeyPublicSelect } from "@/lib/api-keys/queries";
import { revokeApiKey, updateApiKey } from "@/lib/api-keys/mutations";
import { toApiKeyJson } from "@/lib/api-keys/serialize";
import { adaptKeyBody } from "../body";

async function readBack(tenantId: string, keyId: string, requestId: string, status = 200) {
  const row = await db.apiKey.findFirst({ where: { id: keyId, tenantId }, select: apiKeyPublicSelect });
  if (!row) return apiError(404, "not_found", "API key not found.", requestId);
  return apiJson(toApiKeyJson(row), requestId, status);
}

/** One key of the caller's tenant; another tenant's id is simply not found. */
export const GET = apiRoute("api_keys:read", async (_request, { key, requestId }, params) =>
  readBack(key.tenantId, params.key_id, requestId),
);

/** Metadata only, as the edit form: name, description, groupId, ipAllowlist. */
export const PATCH = apiRoute("api_keys:write", async (request, { requestId, mutation }, params) => {
  const body = await readJson(request, requestId);
  if (!body.ok) return body.response;
  const result = await updateApiKey(db, mutation, params.key_id, adaptKeyBody(body.value), { partial: true });
  if (!result.ok) return apiFailure(result, requestId);
  return readBack(mutation.tenantId, result.value.id, requestId);
});

/** Revokes the key: permanent, effective on the next request. */
export const DELETE = apiRoute("api_keys:write", async (_request, { requestId, mutation }, params) => {
  const result = await revokeApiKey(db, mutation, params.key_id);
  if (!result.ok) return apiFailure(result, requestId);
  return readBack(mutation.tenantId, result.value.id, requestId);
});

const notAllowed = methodNotAllowed(["GET", "PATCH", "DELETE"]);
export { notAllowed as POST, notAllowed as PUT };
