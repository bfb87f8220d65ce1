import { NextResponse } from "next/server";

/** Liveness for load balancers; also the baseline of bench/verify. Touches no database. */
export function GET() {
  return NextResponse.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
