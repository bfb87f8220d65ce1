import { sign, verify } from "node:crypto";
import type { Db, Tx } from "@/lib/db/prisma";
import { afterCommit } from "@/lib/db/after-commit";
import { LOCKED_TX_OPTIONS, lockTenant } from "@/lib/db/tenant-lock";
import { auditKeys, CHAIN_UNKEYED } from "./chain";

/**
 * Signed checkpoints: "tenant T's audit chain had `seq` events, the last with hash `hash`, at
 * `createdAt`", signed with Ed25519 (lib/audit/chain.ts). A checkpoint kept outside Keyward (the
 * download, the log line, GET /v1/audit/checkpoints) lets an auditor prove that events were
 * deleted or history rewritten even by someone who also deletes the rows of this table.
 *
 * When they are made:
 * - with every CHECKPOINT_EVERY-th event of a tenant, in the event's own transaction;
 * - when Verify chain finds the chain intact and its head is newer than the last checkpoint;
 * - for the last event written before keyed chains (reason legacy_seal), when the database is
 *   prepared (scripts/seed.ts) or at the tenant's next event: unkeyed events are trusted only up
 *   to a signed checkpoint.
 * Each is logged (one JSON line, "audit checkpoint") once it has committed.
 */
export const CHECKPOINT_EVERY = 100;

export type CheckpointReason = "every_100" | "verify" | "legacy_seal";

export type CheckpointRow = {
  tenantId: string;
  seq: number;
  hash: string;
  createdAt: Date;
  reason: string;
  signature: string;
  keyId: string;
};

/**
 * The exact text that is signed: JSON with a fixed key order, so that an auditor verifies the
 * payload string as published and then reads its fields (no canonicalisation to agree on).
 */
export function checkpointPayload(c: { tenantId: string; seq: number; hash: string; createdAt: Date }): string {
  return JSON.stringify({
    type: "keyward.audit.checkpoint",
    version: 1,
    tenantId: c.tenantId,
    seq: c.seq,
    hash: c.hash,
    createdAt: c.createdAt.toISOString(),
  });
}

export function signCheckpoint(c: { tenantId: string; seq: number; hash: string; createdAt: Date }) {
  const keys = auditKeys();
  const signature = sign(null, Buffer.from(checkpointPayload(c)), keys.privateKey).toString("base64url");
  return { signature, keyId: keys.keyId };
}

/** True when the checkpoint was signed by this Keyward's checkpoint key over exactly these fields. */
export function checkpointSignatureValid(c: CheckpointRow): boolean {
  const keys = auditKeys();
  if (c.keyId !== keys.keyId) return false;
  try {
    return verify(null, Buffer.from(checkpointPayload(c)), keys.publicKey, Buffer.from(c.signature, "base64url"));
  } catch {
    return false;
  }
}

/** What is published for a checkpoint: its fields, the signed payload and the signature. */
export function publishedCheckpoint(c: CheckpointRow) {
  return {
    tenantId: c.tenantId,
    seq: c.seq,
    hash: c.hash,
    createdAt: c.createdAt.toISOString(),
    reason: c.reason,
    keyId: c.keyId,
    payload: checkpointPayload(c),
    signature: c.signature,
  };
}

function logCheckpoint(c: CheckpointRow) {
  console.log(JSON.stringify({ level: "info", time: new Date().toISOString(), message: "audit checkpoint", checkpoint: publishedCheckpoint(c) }));
}

/**
 * Writes a checkpoint of (seq, hash) on `tx`, unless the tenant already has one at that seq, and
 * logs it after the commit. The caller has read (seq, hash) in the same transaction or from a
 * verified chain.
 */
export async function writeCheckpoint(
  tx: Tx,
  head: { tenantId: string; seq: number; hash: string },
  reason: CheckpointReason,
  now = new Date(),
): Promise<CheckpointRow | null> {
  const existing = await tx.auditCheckpoint.findUnique({ where: { tenantId_seq: { tenantId: head.tenantId, seq: head.seq } }, select: { id: true } });
  // An existing row is left as it is: if it no longer matches the event, Verify chain says so.
  if (existing) return null;
  const createdAt = now;
  const row = { tenantId: head.tenantId, seq: head.seq, hash: head.hash, createdAt, reason, ...signCheckpoint({ ...head, createdAt }) };
  await tx.auditCheckpoint.create({ data: row });
  afterCommit(tx, () => logCheckpoint(row));
  return row;
}

/**
 * A checkpoint of a head that Verify chain has just checked: written only if that event is still
 * the tenant's newest with that hash and no checkpoint at or after it exists.
 */
export async function checkpointVerifiedHead(db: Db, head: { tenantId: string; seq: number; hash: string }): Promise<CheckpointRow | null> {
  return db.$transaction(async (tx) => {
    await lockTenant(tx, head.tenantId);
    const [newest, later] = await Promise.all([
      tx.auditEvent.findFirst({ where: { tenantId: head.tenantId }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } }),
      tx.auditCheckpoint.findFirst({ where: { tenantId: head.tenantId, seq: { gte: head.seq } }, select: { id: true } }),
    ]);
    if (later || newest?.seq !== head.seq || newest.hash !== head.hash) return null;
    return writeCheckpoint(tx, head, "verify");
  }, LOCKED_TX_OPTIONS);
}

/**
 * Seals every tenant's chain of unkeyed (version 1) events with a signed checkpoint of its last
 * unkeyed event, unless one covers it already. Run when the database is prepared, right after
 * the migration that introduced keyed chains, so that the window in which old events could be
 * rewritten unnoticed closes before Keyward serves a request. Returns the seals written.
 */
export async function sealUnkeyedChains(db: Db): Promise<CheckpointRow[]> {
  // SQL rather than groupBy, which lib/db/prisma.ts's Db leaves out. COUNT and MAX come back as
  // BigInt on PostgreSQL.
  const heads = await db.$queryRaw<{ tenantId: string; seq: number | bigint }[]>`
    SELECT "tenantId", MAX("seq") AS "seq" FROM "AuditEvent" WHERE "chainVersion" = ${CHAIN_UNKEYED} GROUP BY "tenantId"`;
  const written: CheckpointRow[] = [];
  for (const head of heads) {
    const seq = Number(head.seq);
    const sealed = await db.$transaction(async (tx) => {
      await lockTenant(tx, head.tenantId);
      const covered = await tx.auditCheckpoint.findFirst({ where: { tenantId: head.tenantId, seq: { gte: seq } }, select: { id: true } });
      if (covered) return null;
      const event = await tx.auditEvent.findUnique({ where: { tenantId_seq: { tenantId: head.tenantId, seq } }, select: { hash: true } });
      if (!event?.hash) return null;
      return writeCheckpoint(tx, { tenantId: head.tenantId, seq, hash: event.hash }, "legacy_seal");
    }, LOCKED_TX_OPTIONS);
    if (sealed) written.push(sealed);
  }
  return written;
}

/** The tenant's checkpoints (optionally only after `sinceSeq`) with the public key, as published. */
export async function checkpointsDocument(db: Db, tenant: { id: string; name: string }, sinceSeq = 0) {
  const rows = await db.auditCheckpoint.findMany({
    where: { tenantId: tenant.id, seq: { gt: sinceSeq } },
    orderBy: { seq: "asc" },
    select: { tenantId: true, seq: true, hash: true, createdAt: true, reason: true, signature: true, keyId: true },
  });
  return {
    tenant: { id: tenant.id, name: tenant.name },
    publicKey: publicKeyDocument(),
    checkpoints: rows.map(publishedCheckpoint),
  };
}

export function publicKeyDocument() {
  const keys = auditKeys();
  return {
    keyId: keys.keyId,
    algorithm: "Ed25519",
    pem: keys.publicKeyPem,
    verify:
      "node -e: crypto.verify(null, Buffer.from(checkpoint.payload), crypto.createPublicKey(publicKey.pem), Buffer.from(checkpoint.signature, 'base64url'))",
  };
}
