import { createPrismaClient } from "./lib/db/prisma";
import { verifyAuditChain } from "./lib/audit/verify-chain";
import { prepareDatabase } from "./bench/lib/common.mjs";
import { insertAuditEvents } from "./bench/lib/audit-events.mjs";
const file = prepareDatabase("h3prof.db");
const ins = insertAuditEvents(file, "acme", 100000);
void (async () => {
  const db = createPrismaClient("file:" + file);
  const t = ins.tenantId;
  for (let i = 0; i < 3; i++) { const s = performance.now(); const r = await verifyAuditChain(db, t); console.log(r.ok, r.checked, performance.now() - s); }
  process.exit(0);
})();
