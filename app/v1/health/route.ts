import type { NextRequest } from "next/server";
import { apiJson, methodNotAllowed } from "@/lib/api/v1";
import { requestIdFrom } from "@/lib/request-id";

/** Liveness for load balancers; also the baseline of bench/verify. Touches no database. */
export function GET(request: NextRequest) {
  return apiJson({ status: "ok" }, requestIdFrom(request.headers.get("x-request-id")));
}

const notAllowed = methodNotAllowed(["GET"]);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
