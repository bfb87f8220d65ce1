import { apiJson, apiRoute, methodNotAllowed } from "@/lib/api/v1";

/** The calling key, its tenant and scopes. Any valid key may ask; no scope is needed. */
export const GET = apiRoute(null, async (_request, { key, requestId }) =>
  apiJson(
    {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      tenant: { id: key.tenantId, name: key.tenantName },
      authorizationGroup: { id: key.groupId, name: key.groupName },
      scopes: key.scopes,
      expiresAt: key.expiresAt?.toISOString() ?? null,
    },
    requestId,
  ),
);

const notAllowed = methodNotAllowed(["GET"]);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
