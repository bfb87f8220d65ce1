// Compiled by `npm run build` (scripts/build-server.mjs) into dist/server/app-entry.mjs, which
// scripts/server.mjs loads: the hot path in front of Next.js, in plain node, no tsx.
import { appVerifier } from "../lib/verify/app-verifier";
import { flushUsageBeforeExit } from "../lib/verify/usage";
import { createHotPath } from "./hot-path";

export function createAppHotPath(nonce: string) {
  return createHotPath({ verifier: appVerifier(), nonce });
}

export { flushUsageBeforeExit };
