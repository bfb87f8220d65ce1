import { apiJson, apiRoute, methodNotAllowed } from "@/lib/api/v1";
import { whoamiBody } from "@/lib/verify/whoami";

/**
 * The calling key, its tenant and scopes. Any valid key may ask; no scope is needed. Behind
 * Keyward's server (server/v1-gate.ts) this is answered before Next.js; this route serves it
 * under plain `next start`.
 */
export const GET = apiRoute("whoami", async (_request, { key, requestId }) => apiJson(whoamiBody(key), requestId));

const notAllowed = methodNotAllowed(["GET"]);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
