// Seeds the demo data into DATABASE_URL when that database is new (see lib/db/seed.ts).
import { createPrismaClient } from "../lib/db/prisma";
import { seedDemoData } from "../lib/db/seed";
import { sealUnkeyedChains } from "../lib/audit/checkpoints";

async function main() {
  const db = createPrismaClient();
  try {
    const { seeded } = await seedDemoData(db);
    console.log(seeded ? "keyward: demo data seeded" : "keyward: database already has data, seed skipped");
    // Audit events written before keyed chains are trusted only up to a signed checkpoint: seal
    // them now, before Keyward serves a request (lib/audit/checkpoints.ts).
    const sealed = await sealUnkeyedChains(db);
    if (sealed.length > 0) console.log(`keyward: sealed the unkeyed audit chains of ${sealed.length} tenant(s) with signed checkpoints`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
