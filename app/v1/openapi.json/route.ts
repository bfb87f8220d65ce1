import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/api/openapi";

// A relative server URL works behind any host name or proxy without trusting the Host header.
export function GET() {
  return NextResponse.json(openApiDocument("/"));
}
