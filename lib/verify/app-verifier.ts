import { createKeyLookup } from "./lookup";
import type { Verifier } from "./verify";

// One verifier per process, on globalThis: Next's route bundles and the node:http server
// (a separate esbuild bundle) load this module twice but must share one read connection.
const globalForVerifier = globalThis as unknown as { keywardVerifier?: Verifier };

/** The process's verifier on DATABASE_URL. */
export function appVerifier(): Verifier {
  globalForVerifier.keywardVerifier ??= { lookup: createKeyLookup() };
  return globalForVerifier.keywardVerifier;
}
