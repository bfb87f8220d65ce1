import type { Tx } from "@/lib/db/prisma";
import { CHAIN_KEYED, CHAIN_UNKEYED, keyedAuditHash, type ChainedFields } from "./chain";
import { CHECKPOINT_EVERY, writeCheckpoint } from "./checkpoints";

import type { AuditAction } from "./actions";

export { AUDIT_ACTIONS, type AuditAction } from "./actions";

export type Actor =
  // `via` marks a change made from the command bar; it lands in the event's details.
  | { type: "user"; userId: string; label: string; via?: "assistant" }
  | { type: "api_key"; keyId: string; label: string }
  | { type: "system"; label: string };

export type AuditInput = {
  tenantId: string;
  actor: Actor;
  action: AuditAction;
  requestId: string;
  targetKeyId?: string | null;
  keyPrefix?: string | null;
  scopes?: string | null;
  details?: Record<string, unknown>;
  createdAt: Date;
};

function detailsOf(input: AuditInput): string | null {
  const via = input.actor.type === "user" ? input.actor.via : undefined;
  const details = via ? { ...input.details, via } : input.details;
  return details ? JSON.stringify(details) : null;
}

/**
 * The hash a new event gets: keyed (HMAC, chain version 2). Kept under this name for the test
 * fixtures and benchmarks that append events the way the app does.
 */
export function auditHash(input: ChainedFields): string {
  return keyedAuditHash(input);
}

/** The tenant's newest event; unkeyed events before it are sealed by a checkpoint first. */
async function chainHead(tx: Tx, tenantId: string, now: Date) {
  const previous = await tx.auditEvent.findFirst({
    where: { tenantId },
    orderBy: { seq: "desc" },
    select: { hash: true, seq: true, chainVersion: true },
  });
  if (previous?.hash && previous.chainVersion === CHAIN_UNKEYED) {
    const covered = await tx.auditCheckpoint.findFirst({ where: { tenantId, seq: { gte: previous.seq } }, select: { id: true } });
    if (!covered) await writeCheckpoint(tx, { tenantId, seq: previous.seq, hash: previous.hash }, "legacy_seal", now);
  }
  return previous;
}

function chained(input: AuditInput, seq: number, prevHash: string | null) {
  const data = {
    tenantId: input.tenantId,
    seq,
    actorType: input.actor.type,
    actorUserId: input.actor.type === "user" ? input.actor.userId : null,
    actorKeyId: input.actor.type === "api_key" ? input.actor.keyId : null,
    actorLabel: input.actor.label,
    action: input.action,
    targetKeyId: input.targetKeyId ?? null,
    keyPrefix: input.keyPrefix ?? null,
    scopes: input.scopes ?? null,
    details: detailsOf(input),
    requestId: input.requestId,
    createdAt: input.createdAt,
    prevHash,
  };
  return { ...data, hash: keyedAuditHash(data), chainVersion: CHAIN_KEYED };
}

/** The rows `inputs` become when appended after `previous` (the chain's head, or null). */
function chainAuditRows(previous: { seq: number; hash: string | null } | null, inputs: AuditInput[]) {
  let seq = previous?.seq ?? 0;
  let prevHash = previous?.hash ?? null;
  return inputs.map((input) => {
    const row = chained(input, ++seq, prevHash);
    prevHash = row.hash;
    return row;
  });
}

/**
 * Appends an audit event inside the caller's transaction, chained to the tenant's previous
 * event with HMAC-SHA-256 (lib/audit/chain.ts). Callers hold the tenant's row lock (lockTenant)
 * first, so two writers cannot both chain to the same predecessor. Never pass a secret in
 * `details`. Every CHECKPOINT_EVERY-th event gets a signed checkpoint in the same transaction,
 * and the last event written before keyed chains is sealed by one first (lib/audit/checkpoints.ts).
 */
export async function writeAuditEvent(tx: Tx, input: AuditInput) {
  const previous = await chainHead(tx, input.tenantId, input.createdAt);
  const data = chained(input, (previous?.seq ?? 0) + 1, previous?.hash ?? null);
  const event = await tx.auditEvent.create({ data });
  if (data.seq % CHECKPOINT_EVERY === 0) await writeCheckpoint(tx, data, "every_100", input.createdAt);
  return event;
}

// Rows per INSERT: 17 columns each stays far below SQLite's 32,766 bound parameters.
const INSERT_CHUNK = 500;

/**
 * Appends several events of one tenant in order, as writeAuditEvent would one by one, with one
 * read of the chain's head and multi-row INSERTs: revoking all of 10,000 keys writes 10,001
 * events inside one transaction. Returns the rows written, in order.
 */
export async function writeAuditEvents(tx: Tx, inputs: AuditInput[]) {
  if (inputs.length === 0) return [];
  const tenantId = inputs[0].tenantId;
  if (inputs.some((i) => i.tenantId !== tenantId)) throw new Error("writeAuditEvents: events of one tenant only");
  const previous = await chainHead(tx, tenantId, inputs[0].createdAt);
  const rows = chainAuditRows(previous, inputs);
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.auditEvent.createMany({ data: rows.slice(i, i + INSERT_CHUNK) });
  for (const row of rows) if (row.seq % CHECKPOINT_EVERY === 0) await writeCheckpoint(tx, row, "every_100", row.createdAt);
  return rows;
}
