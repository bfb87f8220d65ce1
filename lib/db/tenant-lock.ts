import type { Tx } from "./prisma";

/**
 * Takes the tenant's row lock, first thing in every audited transaction (key changes, the
 * tenant's limit, ended sessions, audit checkpoints). On PostgreSQL this is a row lock; on SQLite
 * the first statement being a write makes the transaction take the database's write lock at once
 * (waiting on the busy timeout), instead of reading under a shared lock and failing to upgrade it
 * later. Either way the limit check, a key's version and the audit chain are serialized per
 * tenant. False when the tenant does not exist.
 */
export async function lockTenant(tx: Tx, tenantId: string): Promise<boolean> {
  const updated = await tx.$executeRaw`UPDATE "Tenant" SET "keyLimit" = "keyLimit" WHERE "id" = ${tenantId}`;
  return updated === 1;
}

// Interactive transactions wait for other writers (other requests, other processes) instead of
// failing after Prisma's 2 s default.
export const LOCKED_TX_OPTIONS = { maxWait: 15_000, timeout: 20_000 } as const;
