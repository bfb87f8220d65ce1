import { apiError } from "@/lib/api/v1";
import { requestIdFrom } from "@/lib/request-id";
import type { NextRequest } from "next/server";

/** Unknown /v1 paths answer in the API's error envelope, not with an HTML page. */
function notFound(request: NextRequest) {
  return apiError(404, "not_found", "No such endpoint.", requestIdFrom(request.headers.get("x-request-id")));
}

export { notFound as GET, notFound as POST, notFound as PATCH, notFound as PUT, notFound as DELETE };
