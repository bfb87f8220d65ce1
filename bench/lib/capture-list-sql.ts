// Runs the list page's key queries through the app's own code (lib/api-keys/queries.ts) against
// one database and prints the SQL Prisma sends, with its parameters, as JSON on stdout.
// bench/list-page.mjs then runs EXPLAIN QUERY PLAN on exactly these statements.
// Run: node --conditions=react-server --import tsx bench/lib/capture-list-sql.ts <db> <tenantId> <query string>...
// <db> is a SQLite file path, or a DATABASE_URL (file:... or postgresql://...).
import { createPrismaClient } from "../../lib/db/prisma";
import { apiKeyListSchema } from "../../lib/api-keys/schemas";
import * as queries from "../../lib/api-keys/queries";
import { countTenantKeys } from "../../lib/api-keys/tenant-counts";
import { captureQueries } from "./query-capture";

async function main() {
  const [dbArg, tenantId, ...searches] = process.argv.slice(2);
  const url = /^(file:|postgres(ql)?:\/\/)/i.test(dbArg) ? dbArg : `file:${dbArg}`;
  // The queries pick provider-specific filters (e.g. case-insensitive search) from DATABASE_URL.
  process.env.DATABASE_URL = url;
  const db = createPrismaClient(url);
  const { captured, label } = captureQueries(db);
  const now = new Date();
  const tenant = (await db.tenant.findUniqueOrThrow({ where: { id: tenantId } })) as { rotationPolicyDays?: number };
  const rotationPolicyDays = tenant.rotationPolicyDays ?? 90;
  // Newer page code may add queries; optional ones are called when they exist.
  const q = queries as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  try {
    for (const search of searches) {
      const params = apiKeyListSchema.parse(Object.fromEntries(new URLSearchParams(search)));
      label(`listApiKeys ?${search}`);
      await q.listApiKeys(db, tenantId, params, now, rotationPolicyDays);
    }
    // The page's tenant-wide counts, uncached (the page keeps them for a few seconds).
    label("countTenantKeys (usage, revoke all, 3 warnings)");
    await countTenantKeys(db as never, tenantId, now, rotationPolicyDays);
  } finally {
    await db.$disconnect();
  }
  process.stdout.write(JSON.stringify(captured.filter((c) => c.label)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
