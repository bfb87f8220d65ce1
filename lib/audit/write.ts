import { createHash } from "node:crypto";
import type { Tx } from "@/lib/db/prisma";

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

/** The fields the chain hash covers, in a fixed order. */
export function auditHashInput(event: {
  tenantId: string;
  seq: number;
  actorType: string;
  actorUserId: string | null;
  actorKeyId: string | null;
  actorLabel: string;
  action: string;
  targetKeyId: string | null;
  keyPrefix: string | null;
  scopes: string | null;
  details: string | null;
  requestId: string;
  createdAt: Date;
  prevHash: string | null;
}): string {
  return JSON.stringify([
    event.tenantId,
    event.seq,
    event.actorType,
    event.actorUserId,
    event.actorKeyId,
    event.actorLabel,
    event.action,
    event.targetKeyId,
    event.keyPrefix,
    event.scopes,
    event.details,
    event.requestId,
    event.createdAt.toISOString(),
    event.prevHash,
  ]);
}

export function auditHash(input: Parameters<typeof auditHashInput>[0]): string {
  return createHash("sha256").update(auditHashInput(input)).digest("hex");
}

function detailsOf(input: AuditInput): string | null {
  const via = input.actor.type === "user" ? input.actor.via : undefined;
  const details = via ? { ...input.details, via } : input.details;
  return details ? JSON.stringify(details) : null;
}

/**
 * Appends an audit event inside the caller's transaction, chained to the tenant's previous
 * event. Callers hold the tenant's row lock (lockTenant) first, so two writers cannot both
 * chain to the same predecessor. Never pass a secret in `details`.
 */
export async function writeAuditEvent(tx: Tx, input: AuditInput) {
  const previous = await tx.auditEvent.findFirst({
    where: { tenantId: input.tenantId },
    orderBy: { seq: "desc" },
    select: { hash: true, seq: true },
  });
  const data = {
    tenantId: input.tenantId,
    seq: (previous?.seq ?? 0) + 1,
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
    prevHash: previous?.hash ?? null,
  };
  return tx.auditEvent.create({ data: { ...data, hash: auditHash(data) } });
}
