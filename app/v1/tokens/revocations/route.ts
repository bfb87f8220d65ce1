import type { NextRequest } from "next/server";
import { db } from "@/lib/db";
import { apiJson, methodNotAllowed } from "@/lib/api/v1";
import { revocationList } from "@/lib/tokens/revocation";
import { requestIdFrom } from "@/lib/request-id";

/**
 * The deny list for services that verify tokens offline: jti and exp of every revoked,
 * unexpired token (random ids, nothing about tenants). No key needed, like the JWKS. A strong
 * ETag lets them poll with If-None-Match; max-age is short because a revoke should spread fast.
 */
export async function GET(request: NextRequest) {
  const requestId = requestIdFrom(request.headers.get("x-request-id"));
  const { body, etag } = await revocationList(db);
  const headers = { ETag: etag, "Cache-Control": "public, max-age=30, must-revalidate" };
  const given = request.headers.get("if-none-match");
  if (given && given.split(",").some((tag) => tag.trim() === etag || tag.trim() === "*")) {
    return new Response(null, { status: 304, headers: { ...headers, "X-Request-Id": requestId } });
  }
  return apiJson(body, requestId, 200, headers);
}

const notAllowed = methodNotAllowed(["GET"]);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
