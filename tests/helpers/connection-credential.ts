// GET /v1/connections/{id}/credential through its real route handler, in this process, on a
// test database: lib/db's client and the verifier are pointed at it (as the server's are at
// DATABASE_URL).
import { NextRequest } from "next/server";
import type { Db } from "../../lib/db/prisma";
import { createKeyLookup } from "../../lib/verify/lookup";
import type { Verifier } from "../../lib/verify/verify";

export function shareDatabaseWithRoutes(db: Db, url: string): Verifier {
  const verifier: Verifier = { lookup: createKeyLookup(url) };
  const globals = globalThis as unknown as { keywardDb?: unknown; keywardVerifier?: unknown };
  globals.keywardDb = db;
  globals.keywardVerifier = verifier;
  return verifier;
}

export function releaseRoutesDatabase() {
  const globals = globalThis as unknown as { keywardDb?: unknown; keywardVerifier?: unknown };
  delete globals.keywardDb;
  delete globals.keywardVerifier;
}

export type CredentialBody = {
  connectionId: string;
  activeSlot: "primary" | "secondary";
  settings: Record<string, unknown>;
  credentials: { slot: string; active: boolean; username: string | null; secret: string; setAt: string | null }[];
  error?: { code: string; message: string; requestId: string };
};

export async function getCredential(connectionId: string, rootKey: string | null, headers: Record<string, string> = {}) {
  const request = new NextRequest(`http://keyward.test/v1/connections/${encodeURIComponent(connectionId)}/credential`, {
    headers: { ...(rootKey ? { Authorization: `Bearer ${rootKey}` } : {}), ...headers },
  });
  // Imported on first use, after shareDatabaseWithRoutes: lib/db takes its client from globalThis at import.
  const { GET } = await import("../../app/v1/connections/[connection_id]/credential/route");
  const response = await GET(request, { params: Promise.resolve({ connection_id: connectionId }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as CredentialBody };
}
