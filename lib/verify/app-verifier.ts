import { createPrismaClient } from "../db/prisma";
import { createKeyLookup } from "./lookup";
import type { Verifier } from "./verify";

// One verifier per process, on globalThis: Next's route bundles and the node:http server
// (a separate esbuild bundle) load this module twice but must share one read connection.
const globalForVerifier = globalThis as unknown as { keywardVerifier?: Verifier; keywardDb?: Verifier["db"] };

/** The process's verifier on DATABASE_URL (its Prisma client only writes batched usage). */
export function appVerifier(): Verifier {
  if (!globalForVerifier.keywardVerifier) {
    // lib/db keeps the app's one Prisma client on the same global; reuse it when it exists.
    const db = (globalForVerifier.keywardDb ??= createPrismaClient());
    globalForVerifier.keywardVerifier = { lookup: createKeyLookup(), db };
  }
  return globalForVerifier.keywardVerifier;
}
