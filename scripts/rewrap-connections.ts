// npm run connections:rewrap: re-wraps every connection credential's data key under the current
// KEYWARD_CONNECTION_KEK (lib/connections/rewrap.ts). Prints counts and KEK ids only.
import { createPrismaClient } from "../lib/db/prisma";
import { keyringFrom } from "../lib/connections/envelope";
import { rewrapAllCredentials } from "../lib/connections/rewrap";

async function main() {
  const keyring = keyringFrom(process.env);
  const db = createPrismaClient();
  try {
    const report = await rewrapAllCredentials(db, keyring);
    console.log(
      `keyward: ${report.rewrapped} credential(s) re-wrapped under KEK ${report.kekId}, ${report.current} already under it, ` +
        `${report.connections} connection(s). Remove KEYWARD_CONNECTION_KEK_PREVIOUS once every instance runs with the new KEK.`,
    );
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  // The message only: a crypto error names KEK ids, never a secret.
  console.error(`keyward: re-wrap failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
