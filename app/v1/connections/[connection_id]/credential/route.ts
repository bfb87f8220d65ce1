import { apiFailure, apiJson, methodNotAllowed } from "@/lib/api/v1";
import { rootApiRoute } from "@/lib/api/v1-root";
import { db } from "@/lib/db";
import { readCredential } from "@/lib/connections/read-credential";

/**
 * A connection's credential for the platform's services (root key): the active slot, and during
 * a switch the other one too, so a consumer can fail over. Every read is audited in the
 * connection's tenant; `Cache-Control: no-store` (every /v1 answer) keeps it out of caches.
 */
export const GET = rootApiRoute("readConnectionCredential", async (_request, { root, requestId }, params) => {
  const reader = { rootKeyId: root.id, prefix: root.prefix, name: root.name, canRead: root.canVerify };
  const result = await readCredential(db, reader, params.connection_id ?? "", requestId);
  if (!result.ok) return apiFailure(result, requestId);
  return apiJson(result.value, requestId, 200, { Pragma: "no-cache" });
});

const notAllowed = methodNotAllowed(["GET"]);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
