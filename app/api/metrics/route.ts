import { createHash, timingSafeEqual } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { snapshot } from "@/lib/metrics";
import { config } from "@/lib/config";
import { limitSettings } from "@/lib/rate-limits/settings";

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * Whether `given` is the token. Both sides are hashed first, so the comparison always runs
 * over 32 bytes: timingSafeEqual never throws on a length mismatch (a token of the right length
 * with a non-ASCII character used to be a 500) and neither the answer nor its timing tells the
 * token's length.
 */
function isToken(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

/** Counters for operators and benchmarks; off (404) unless KEYWARD_METRICS_TOKEN is set. */
export function GET(request: NextRequest) {
  const token = config().metricsToken;
  const given = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
  if (!token || !isToken(given, token)) return new NextResponse("Not found", { status: 404 });
  return NextResponse.json({ ...snapshot(), ...limitSettings() }, { headers: { "Cache-Control": "no-store" } });
}
