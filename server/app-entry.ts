// Compiled by `npm run build` (scripts/build-server.mjs) into dist/server/app-entry.mjs, which
// scripts/server.mjs loads: the hot path in front of Next.js, in plain node, no tsx.
import { appVerifier } from "../lib/verify/app-verifier";
import { flushUsageBeforeExit } from "../lib/verify/usage";
import { createHotPath } from "./hot-path";
import { freezeConfig } from "../lib/config";

export function createAppHotPath(nonce: string) {
  // Called once Next.js has loaded .env files and scripts/server.mjs has set the peer nonce:
  // config() may stop re-reading the environment on every call.
  freezeConfig();
  return createHotPath({ verifier: appVerifier(), nonce });
}

export { flushUsageBeforeExit };
