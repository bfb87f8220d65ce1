import { db } from "@/lib/db";
import { apiFailure, apiJson, apiRoute, methodNotAllowed } from "@/lib/api/v1";
import { revokeToken } from "@/lib/tokens/revocation";

/** Revokes one of the tenant's tokens: refused by Keyward on the next request, and listed for services. */
export const DELETE = apiRoute("revokeToken", async (_request, { requestId, mutation }, params) => {
  const result = await revokeToken(db, { tenantId: mutation.tenantId, actor: mutation.actor, requestId }, params.jti);
  if (!result.ok) return apiFailure(result, requestId);
  return apiJson({ jti: result.value.jti, revokedAt: result.value.revokedAt.toISOString() }, requestId);
});

const notAllowed = methodNotAllowed(["DELETE"]);
export { notAllowed as GET, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH };
