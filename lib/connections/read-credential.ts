import type { Db } from "@/lib/db/prisma";
import { LOCKED_TX_OPTIONS, lockTenant } from "@/lib/db/tenant-lock";
import { writeAuditEvent } from "@/lib/audit/write";
import { fail, ok, type Result } from "@/lib/result";
import { CredentialCryptoError, decryptCredential } from "./envelope";
import { connectionKeyring } from "./keyring";
import { activeSlotOf, connectionSelect, slotOf } from "./row";
import { otherSlot, type Slot } from "./schemas";
import { CONNECTION_NOT_FOUND } from "./mutations";

/** The platform service reading: a root key (lib/verify/root-key.ts), limited to some tenants. */
export type CredentialReader = { rootKeyId: string; prefix: string; name: string; canRead: (tenantId: string) => boolean };

export type CredentialSlot = { slot: Slot; active: boolean; username: string | null; secret: string; setAt: string | null };
export type CredentialDocument = {
  connectionId: string;
  name: string;
  kind: string;
  settings: unknown;
  activeSlot: Slot;
  /** The active credential first; during a switch (both slots hold one) the other follows, for fail-over. */
  credentials: CredentialSlot[];
};

/**
 * GET /v1/connections/{id}/credential: decrypts the active slot (and, during a switch, the
 * other one), and writes who read which slots into the tenant's audit chain in the same
 * transaction; nothing is returned unless that event committed. A connection of a tenant the
 * root key may not read is "not found", as an unknown id is.
 */
export async function readCredential(db: Db, reader: CredentialReader, connectionId: string, requestId: string): Promise<Result<CredentialDocument>> {
  if (connectionId.length === 0 || connectionId.length > 64) return fail("not_found", CONNECTION_NOT_FOUND);
  const owner = await db.connection.findUnique({ where: { id: connectionId }, select: { tenantId: true } });
  if (!owner || !reader.canRead(owner.tenantId)) return fail("not_found", CONNECTION_NOT_FOUND);
  const tenantId = owner.tenantId;
  try {
    return await db.$transaction(async (tx): Promise<Result<CredentialDocument>> => {
      if (!(await lockTenant(tx, tenantId))) return fail("not_found", CONNECTION_NOT_FOUND);
      const row = await tx.connection.findFirst({ where: { id: connectionId, tenantId }, select: connectionSelect });
      if (!row) return fail("not_found", CONNECTION_NOT_FOUND);
      const active = activeSlotOf(row);
      const keyring = connectionKeyring();
      const credentials: CredentialSlot[] = [];
      for (const slot of [active, otherSlot(active)]) {
        const state = slotOf(row, slot);
        if (!state.envelope) continue;
        credentials.push({
          slot,
          active: slot === active,
          username: state.username,
          secret: decryptCredential(keyring, row.id, slot, state.envelope),
          setAt: state.setAt?.toISOString() ?? null,
        });
      }
      await writeAuditEvent(tx, {
        tenantId,
        actor: { type: "system", label: `root key ${reader.prefix}` },
        action: "connection.credential_read",
        requestId,
        createdAt: new Date(),
        details: { connectionId: row.id, connection: row.name, rootKeyId: reader.rootKeyId, rootKey: reader.name, slots: credentials.map((c) => c.slot) },
      });
      return ok({
        connectionId: row.id,
        name: row.name,
        kind: row.kind,
        settings: JSON.parse(row.settings),
        activeSlot: active,
        credentials,
      });
    }, LOCKED_TX_OPTIONS);
  } catch (error) {
    // A wrong KEK or an altered envelope: a clear refusal, never a plaintext (nothing was audited).
    if (error instanceof CredentialCryptoError) return fail("unavailable", error.message);
    throw error;
  }
}
