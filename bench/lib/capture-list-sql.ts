// Runs the list page's key queries through the app's own code (lib/api-keys/queries.ts) against
// one database and prints the SQL Prisma sends, with its parameters, as JSON on stdout.
// bench/list-page.mjs then runs EXPLAIN QUERY PLAN on exactly these statements.
// Run: node --conditions=react-server --import tsx bench/lib/capture-list-sql.ts <db file> <tenantId> <query string>...
import { createPrismaClient } from "../../lib/db/prisma";
import { apiKeyListSchema } from "../../lib/api-keys/schemas";
import { countActiveKeys, listApiKeys } from "../../lib/api-keys/queries";

type Captured = { label: string; query: string; params: unknown[] };

async function main() {
  const [dbFile, tenantId, ...searches] = process.argv.slice(2);
  const db = createPrismaClient(`file:${dbFile}`);
  let label = "";
  const captured: Captured[] = [];
  db.$on("query", (event) => {
    let params: unknown[] = [];
    try {
      params = JSON.parse(event.params);
    } catch {}
    captured.push({ label, query: event.query, params });
  });
  const now = new Date();
  try {
    for (const search of searches) {
      const params = apiKeyListSchema.parse(Object.fromEntries(new URLSearchParams(search)));
      label = `listApiKeys ?${search}`;
      await listApiKeys(db, tenantId, params, now);
    }
    label = "countActiveKeys (header usage)";
    await countActiveKeys(db, tenantId, now);
    label = "revocable count (revoke all)";
    await db.apiKey.count({ where: { tenantId, status: "active" } });
  } finally {
    await db.$disconnect();
  }
  process.stdout.write(JSON.stringify(captured));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
