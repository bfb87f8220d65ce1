import "server-only";
import type { NextRequest } from "next/server";
import { appVerifier } from "@/lib/verify/app-verifier";
import { rootKeyFrom, verifyRootKey, type RootKey } from "@/lib/verify/root-key";
import { clientIp } from "@/lib/http/client-ip";
import { requestIdFrom } from "@/lib/request-id";
import { logError } from "@/lib/log";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { allows } from "@/lib/auth/permissions";
import { apiError } from "./v1";
import { v1Operation, type V1Operation, type V1OperationId } from "./v1-operations";

type RouteParams = { params: Promise<Record<string, string>> };
export type RootApiContext = { root: RootKey; requestId: string };

/**
 * The wrapper of a /v1 operation the platform's services call with a root key (the table's
 * `auth: "root_key"`): the root key from `Authorization: Bearer kwr_...` or X-Keyward-Root-Key,
 * checked as /v1/keys/verify checks it (hash lookup, state, the bad-key throttle by caller
 * address), then the permission map for the operation's platform permission. Reads only.
 */
export function rootApiRoute(
  id: V1OperationId,
  handler: (request: NextRequest, context: RootApiContext, params: Record<string, string>) => Promise<Response>,
): ((request: NextRequest, route: RouteParams) => Promise<Response>) & { operation: V1Operation } {
  const operation = v1Operation(id);
  if (operation.auth !== "root_key" || operation.permission === null) throw new Error(`${id} is not a root-key operation.`);
  const permission = operation.permission;
  const wrapped = async (request: NextRequest, route: RouteParams) => {
    const requestId = requestIdFrom(request.headers.get("x-request-id"));
    try {
      const secret = rootKeyFrom(request.headers.get("authorization") ?? undefined, request.headers.get("x-keyward-root-key") ?? undefined);
      const result = await verifyRootKey(appVerifier(), secret, clientIp(request.headers));
      if (!result.ok) {
        const headers: Record<string, string> = {};
        if (result.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="keyward-root"';
        if (result.retryAfter) headers["Retry-After"] = String(result.retryAfter);
        return apiError(result.status, result.code, result.message, requestId, { headers });
      }
      if (!allows({ type: "root_key" }, permission)) return apiError(403, "forbidden", "Root keys may not do this.", requestId);
      const response = await handler(request, { root: result.root, requestId }, (await route.params) ?? {});
      response.headers.set("X-Request-Id", requestId);
      return response;
    } catch (error) {
      logError("v1 request failed", error, { requestId, method: request.method, path: request.nextUrl.pathname });
      if (isDatabaseUnavailable(error)) {
        return apiError(503, "unavailable", "The database is unavailable. Nothing was changed.", requestId, { headers: { "Retry-After": "5" } });
      }
      return apiError(500, "internal_error", "Something went wrong. Nothing was changed.", requestId);
    }
  };
  return Object.assign(wrapped, { operation });
}
