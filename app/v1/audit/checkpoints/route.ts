import { apiError, apiJson, apiRoute, methodNotAllowed } from "@/lib/api/v1";
import { db } from "@/lib/db";
import { checkpointsDocument } from "@/lib/audit/checkpoints";

/**
 * The calling key's tenant's signed audit checkpoints and the public key that verifies them, for
 * an auditor who keeps them outside Keyward. `?since=<seq>` returns only newer ones.
 */
export const GET = apiRoute("listAuditCheckpoints", async (request, { key, requestId }) => {
  const since = request.nextUrl.searchParams.get("since") ?? "0";
  if (!/^\d{1,9}$/.test(since)) return apiError(422, "validation_failed", "since must be a whole number (an event's seq).", requestId);
  return apiJson(await checkpointsDocument(db, { id: key.tenantId, name: key.tenantName }, Number(since)), requestId);
});

const notAllowed = methodNotAllowed(["GET"]);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
