import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/lib/http/csp";

/**
 * A per-request CSP nonce for every page. Next.js reads the policy from the request headers
 * while it renders and puts the nonce on its own scripts; the browser enforces the copy on the
 * response. Pages are rendered per request (app/layout.tsx), so no cached HTML carries a stale
 * nonce.
 */
export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy(newNonce());
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: the JSON API (/v1, /api) and static files carry no script to protect, and
      // /v1 is the verification hot path.
      source: "/((?!v1|api|_next/static|_next/image|icon.svg|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
