import { db } from "@/lib/db";
import { apiError, apiFailure, apiJson, apiRoute, methodNotAllowed, readJson } from "@/lib/api/v1";
import { apiKeyPublicSelect } from "@/lib/api-keys/queries";
import { rotateApiKey } from "@/lib/api-keys/mutations";
import { toApiKeyJson } from "@/lib/api-keys/serialize";

/** New secret, same configuration. Body (optional): { "overlap": "none" | "1h" | "24h" | "7d" }. */
export const POST = apiRoute("api_keys:write", async (request, { requestId, mutation }, params) => {
  let input: unknown = {};
  if (request.headers.get("content-length") !== "0" && request.headers.get("content-type")) {
    const body = await readJson(request, requestId);
    if (!body.ok) return body.response;
    input = body.value;
  }
  const result = await rotateApiKey(db, mutation, params.key_id, input);
  if (!result.ok) return apiFailure(result, requestId);
  const row = await db.apiKey.findFirst({ where: { id: result.value.key.id, tenantId: mutation.tenantId }, select: apiKeyPublicSelect });
  if (!row) return apiError(500, "internal_error", "The key was rotated but could not be read back.", requestId);
  return apiJson({ ...toApiKeyJson(row), secret: result.value.secret }, requestId);
});

const notAllowed = methodNotAllowed(["POST"]);
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
