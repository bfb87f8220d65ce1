import type { Db } from "@/lib/db/prisma";
import { SLOTS } from "./schemas";
import { envelopeKekId, rewrapCredential, type Keyring } from "./envelope";

export type RewrapReport = { connections: number; rewrapped: number; current: number; kekId: string };

/**
 * After a KEK rotation (new KEYWARD_CONNECTION_KEK, the old one in
 * KEYWARD_CONNECTION_KEK_PREVIOUS): re-wraps every slot's data key under the current KEK. Only
 * data keys are unwrapped, never a secret; each row is updated only if its envelope is still the
 * one that was read, so a credential written meanwhile is not overwritten. Safe to run again.
 */
export async function rewrapAllCredentials(db: Db, keyring: Keyring): Promise<RewrapReport> {
  const report: RewrapReport = { connections: 0, rewrapped: 0, current: 0, kekId: keyring.current.id };
  const rows = await db.connection.findMany({ select: { id: true, primaryEnvelope: true, secondaryEnvelope: true }, orderBy: { id: "asc" } });
  for (const row of rows) {
    report.connections++;
    for (const slot of SLOTS) {
      const envelope = slot === "primary" ? row.primaryEnvelope : row.secondaryEnvelope;
      if (!envelope) continue;
      if (envelopeKekId(envelope) === keyring.current.id) {
        report.current++;
        continue;
      }
      const column = slot === "primary" ? "primaryEnvelope" : "secondaryEnvelope";
      const next = rewrapCredential(keyring, row.id, slot, envelope);
      const { count } = await db.connection.updateMany({ where: { id: row.id, [column]: envelope }, data: { [column]: next } });
      report.rewrapped += count;
    }
  }
  return report;
}
