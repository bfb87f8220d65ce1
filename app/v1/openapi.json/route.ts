import type { NextRequest } from "next/server";
import { apiJson, methodNotAllowed } from "@/lib/api/v1";
import { openApiDocument } from "@/lib/api/openapi";
import { requestIdFrom } from "@/lib/request-id";

// A relative server URL works behind any host name or proxy without trusting the Host header.
export function GET(request: NextRequest) {
  return apiJson(openApiDocument("/"), requestIdFrom(request.headers.get("x-request-id")));
}

const notAllowed = methodNotAllowed(["GET"]);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
