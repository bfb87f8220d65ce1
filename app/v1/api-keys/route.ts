import { db } from "@/lib/db";
import { apiFailure, apiJson, apiKeyResponse, apiRoute, methodNotAllowed, readJson } from "@/lib/api/v1";
import { apiKeyListSchema } from "@/lib/api-keys/schemas";
import { listApiKeys } from "@/lib/api-keys/queries";
import { createApiKey } from "@/lib/api-keys/mutations";
import { toApiKeyJson } from "@/lib/api-keys/serialize";
import { tenantKeySettings } from "@/lib/tenants/queries";

/** The tenant's keys with the dashboard's filters, grouping and paging (status, expiry, q, groupBy, sort, order, page, pageSize). */
export const GET = apiRoute("listApiKeys", async (request, { key, requestId }) => {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(request.nextUrl.searchParams.keys())) {
    const values = request.nextUrl.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0] : values;
  }
  const params = apiKeyListSchema.parse(query);
  const now = new Date();
  const tenant = await tenantKeySettings(db, key.tenantId);
  const { rows, total } = await listApiKeys(db, key.tenantId, params, now, tenant.rotationPolicyDays);
  return apiJson(
    {
      data: rows.map((row) => toApiKeyJson(row, now)),
      pagination: { page: params.page, pageSize: params.pageSize, total },
    },
    requestId,
  );
});

/** Creates a key; the secret is in this response and nowhere else, ever. */
export const POST = apiRoute("createApiKey", async (request, { requestId, mutation }) => {
  const body = await readJson(request, requestId);
  if (!body.ok) return body.response;
  const result = await createApiKey(db, mutation, body.value);
  if (!result.ok) return apiFailure(result, requestId);
  // The key as the transaction wrote it: no read-back that could fail after the commit.
  const { key, secret } = result.value;
  return apiKeyResponse(key, requestId, { status: 201, secret, headers: { Location: `/v1/api-keys/${key.id}` } });
});

const notAllowed = methodNotAllowed(["GET", "POST"]);
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
