// Seeds the demo data into DATABASE_URL when that database is new (see lib/db/seed.ts).
import { createPrismaClient } from "../lib/db/prisma";
import { seedDemoData } from "../lib/db/seed";

async function main() {
  const db = createPrismaClient();
  try {
    const { seeded } = await seedDemoData(db);
    console.log(seeded ? "keyward: demo data seeded" : "keyward: database already has data, seed skipped");
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
