import { timingSafeEqual } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { snapshot } from "@/lib/metrics";
import { config } from "@/lib/config";

/** Counters for operators and benchmarks; off (404) unless KEYWARD_METRICS_TOKEN is set. */
export function GET(request: NextRequest) {
  const token = config().metricsToken;
  const given = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
  const ok = !!token && given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));
  if (!ok) return new NextResponse("Not found", { status: 404 });
  return NextResponse.json(snapshot(), { headers: { "Cache-Control": "no-store" } });
}
