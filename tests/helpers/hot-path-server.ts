// The hot path (server/hot-path.ts) on a plain node:http server on loopback, as Keyward's server
// runs it in front of Next.js; what it does not answer gets 404 here. Imported lazily, so that a
// test may point lib/db's client at its own database first (globalThis.keywardDb). And the root
// keys that the platform's callers of these front doors authenticate with.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRootKey } from "../../lib/root-keys/mutations";
import type { Verifier } from "../../lib/verify/verify";
import type { SeededDb } from "../db";

export async function serveHotPath(verifier: Verifier, options: { nonce: string | null; portFrom: number; ports: number }) {
  const { createHotPath } = await import("../../server/hot-path");
  const hotPath = createHotPath({ verifier, nonce: options.nonce });
  const server = http.createServer(async (req, res) => {
    if (!(await hotPath(req, res))) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(options.portFrom + Math.floor(Math.random() * options.ports), "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** What the seeded super user does platform changes (root keys) with. */
export const superUserContext = (t: SeededDb, requestId = "req_test_root_key") => ({
  actor: { userId: t.fx.users.superUser.id, label: t.fx.users.superUser.email },
  requestId,
});

/** A root key (the platform's credential for these front doors) for every tenant, or only `tenantIds`. */
export async function createTestRootKey(t: SeededDb, name = "Gateway", tenantIds?: string[]) {
  const created = await createRootKey(t.db, superUserContext(t), { name, allTenants: !tenantIds, tenantIds: tenantIds ?? [] });
  if (!created.ok) throw new Error(`root key ${name}: ${created.error.message}`);
  return created.value;
}
