import { randomBytes } from "node:crypto";
import type { Db, Tx } from "@/lib/db/prisma";
import { inTenantTransaction, type MutationContext } from "@/lib/api-keys/key-change";
import { writeAuditEvent, type AuditAction } from "@/lib/audit/write";
import { fail, ok, validationFailure, type Result } from "@/lib/result";
import { connectionCreateSchema, credentialWriteSchema, otherSlot, settingsOf, type Slot } from "./schemas";
import { connectionSelect, activeSlotOf, slotData, slotOf, testedOk, toPublicConnection, type ConnectionRecord, type PublicConnection } from "./row";
import { CredentialCryptoError, decryptCredential, encryptCredential } from "./envelope";
import { connectionKeyring } from "./keyring";
import { runTest } from "./run-test";
import type { ProbeResult } from "./probe";

/**
 * Connection changes, each in one transaction that holds the tenant's lock (the key mutations'
 * skeleton, inTenantTransaction) with its audit event on the same transaction. The tenant comes
 * from the caller's context, never from input: another tenant's connection is "not found".
 * Audit details never hold a secret: slot, user name, KEK id and outcomes only.
 */
export const CONNECTION_NOT_FOUND = "Connection not found.";
const noEviction = () => undefined;

type Done<T> = { value: T; action: AuditAction; details?: Record<string, unknown> };

async function audit(tx: Tx, ctx: MutationContext, row: { id: string; name: string }, action: AuditAction, details: Record<string, unknown> = {}) {
  await writeAuditEvent(tx, {
    tenantId: ctx.tenantId,
    actor: ctx.actor,
    requestId: ctx.requestId,
    action,
    createdAt: ctx.now ?? new Date(),
    details: { connectionId: row.id, connection: row.name, ...details },
  });
}

/** Lock, load (this tenant's only), refuse a stale version, change, audit: one transaction. */
function changeConnection<T>(
  db: Db,
  ctx: MutationContext,
  connectionId: unknown,
  expectedVersion: number | undefined,
  change: (tx: Tx, row: ConnectionRecord) => Promise<Result<Done<T>>>,
): Promise<Result<T>> {
  const id = typeof connectionId === "string" && connectionId.length > 0 && connectionId.length <= 64 ? connectionId : null;
  return inTenantTransaction(
    db,
    ctx.tenantId,
    async (tx) => {
      const row = id && (await tx.connection.findFirst({ where: { id, tenantId: ctx.tenantId }, select: connectionSelect }));
      if (!row) return fail("not_found", CONNECTION_NOT_FOUND);
      if (expectedVersion !== undefined && row.version !== expectedVersion) {
        return fail("precondition_failed", "The connection has changed since you opened it. Reload and try again.");
      }
      const done = await change(tx, row);
      if (!done.ok) return done;
      await audit(tx, ctx, row, done.value.action, done.value.details);
      return ok(done.value.value);
    },
    noEviction,
  );
}

async function reload(tx: Tx, id: string): Promise<PublicConnection> {
  return toPublicConnection(await tx.connection.findUniqueOrThrow({ where: { id }, select: connectionSelect }));
}

function cryptoFailure(error: unknown) {
  if (error instanceof CredentialCryptoError) return fail("unavailable", error.message);
  throw error;
}

/** A new connection; its first credential goes into the primary slot, active (not yet tested). */
export async function createConnection(db: Db, ctx: MutationContext, input: unknown): Promise<Result<PublicConnection>> {
  const parsed = connectionCreateSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const values = parsed.data;
  const now = ctx.now ?? new Date();
  const id = `conn_${randomBytes(12).toString("base64url")}`;
  let envelope: string;
  try {
    envelope = encryptCredential(connectionKeyring(), id, "primary", values.secret);
  } catch (error) {
    return cryptoFailure(error);
  }
  return inTenantTransaction(
    db,
    ctx.tenantId,
    async (tx) => {
      const taken = await tx.connection.findFirst({ where: { tenantId: ctx.tenantId, name: values.name }, select: { id: true } });
      if (taken) return fail("conflict", "A connection with this name exists.", { name: ["A connection with this name exists."] });
      const username = values.kind === "postgresql" ? values.username : null;
      await tx.connection.create({
        data: {
          id,
          tenantId: ctx.tenantId,
          name: values.name,
          kind: values.kind,
          settings: JSON.stringify(settingsOf(values)),
          activeSlot: "primary",
          primaryUsername: username,
          primaryEnvelope: envelope,
          primarySetAt: now,
          createdAt: now,
        },
      });
      await audit(tx, ctx, { id, name: values.name }, "connection.created", { kind: values.kind, slot: "primary", username });
      return ok(await reload(tx, id));
    },
    noEviction,
  );
}

/** Update Credentials: writes the inactive slot (the active one keeps serving); its Test starts over. */
export async function writeCredential(
  db: Db,
  ctx: MutationContext,
  connectionId: unknown,
  input: unknown,
  expectedVersion?: number,
): Promise<Result<PublicConnection>> {
  const parsed = credentialWriteSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error.issues);
  const now = ctx.now ?? new Date();
  return changeConnection(db, ctx, connectionId, expectedVersion, async (tx, row) => {
    const slot = otherSlot(activeSlotOf(row));
    const username = row.kind === "postgresql" ? parsed.data.username : null;
    if (row.kind === "postgresql" && !username) return fail("validation", "Some fields need attention.", { username: ["Enter the user name (1-63 characters)."] });
    let envelope: string;
    try {
      envelope = encryptCredential(connectionKeyring(), row.id, slot, parsed.data.secret);
    } catch (error) {
      return cryptoFailure(error);
    }
    await tx.connection.update({
      where: { id: row.id },
      data: { ...slotData(slot, { username, envelope, setAt: now, testedAt: null, testPassed: null }), version: { increment: 1 } },
    });
    return ok({ value: await reload(tx, row.id), action: "connection.credential_written", details: { slot, username } });
  });
}

export type TestOutcome = ProbeResult & { slot: Slot; connection: PublicConnection };

/**
 * Test: checks one slot's credential against the real system, then records the outcome (with
 * its audit event) only if the slot still holds the credential that was tested.
 */
export async function testCredential(db: Db, ctx: MutationContext, connectionId: unknown, slotInput: unknown): Promise<Result<TestOutcome>> {
  const id = typeof connectionId === "string" && connectionId.length > 0 && connectionId.length <= 64 ? connectionId : null;
  const row = id && (await db.connection.findFirst({ where: { id, tenantId: ctx.tenantId }, select: connectionSelect }));
  if (!row) return fail("not_found", CONNECTION_NOT_FOUND);
  const slot: Slot = slotInput === "primary" || slotInput === "secondary" ? slotInput : otherSlot(activeSlotOf(row));
  const state = slotOf(row, slot);
  if (!state.envelope) return fail("validation", `The ${slot} slot holds no credential to test.`);
  if (row.kind === "secret") return fail("validation", "A generic secret has no system to test it against: save it untested.");
  let secret: string;
  try {
    secret = decryptCredential(connectionKeyring(), row.id, slot, state.envelope);
  } catch (error) {
    return cryptoFailure(error);
  }
  // The network call happens outside the transaction: no lock is held while a server is slow.
  const result = await runTest(row, state.username ?? "", secret);
  const now = ctx.now ?? new Date();
  return changeConnection(db, ctx, row.id, undefined, async (tx, current) => {
    if (slotOf(current, slot).envelope !== state.envelope) {
      return fail("precondition_failed", "The credential changed while it was being tested. Test it again.");
    }
    await tx.connection.update({ where: { id: row.id }, data: slotData(slot, { testedAt: now, testPassed: result.passed }) });
    return ok({
      value: { ...result, slot, connection: await reload(tx, row.id) },
      action: "connection.tested",
      details: { slot, passed: result.passed, message: result.message },
    });
  });
}

/**
 * Save: the inactive slot becomes the active one, only after a passing Test of it, or when the
 * caller explicitly saves it untested (audited as such). The old slot keeps its credential, so
 * consumers mid-switch can fail over, until it is cleared.
 */
export async function switchSlot(
  db: Db,
  ctx: MutationContext,
  connectionId: unknown,
  options: { untested?: boolean; expectedVersion?: number } = {},
): Promise<Result<PublicConnection>> {
  const now = ctx.now ?? new Date();
  return changeConnection(db, ctx, connectionId, options.expectedVersion, async (tx, row) => {
    const from = activeSlotOf(row);
    const to = otherSlot(from);
    const target = slotOf(row, to);
    if (!target.envelope) return fail("validation", `The ${to} slot holds no credential: use Update Credentials first.`);
    const untested = options.untested === true;
    if (!untested && !testedOk(target)) {
      return fail("validation", `The ${to} credential has not passed a Test since it was written: Test it, or save it untested.`);
    }
    await tx.connection.update({ where: { id: row.id }, data: { activeSlot: to, switchedAt: now, version: { increment: 1 } } });
    return ok({ value: await reload(tx, row.id), action: "connection.switched", details: { from, to, untested } });
  });
}

/** Clears the inactive slot (the old credential after a switch): consumers get the active one only. */
export async function clearSlot(db: Db, ctx: MutationContext, connectionId: unknown, expectedVersion?: number): Promise<Result<PublicConnection>> {
  return changeConnection(db, ctx, connectionId, expectedVersion, async (tx, row) => {
    const slot = otherSlot(activeSlotOf(row));
    if (!slotOf(row, slot).envelope) return fail("validation", `The ${slot} slot is already empty.`);
    await tx.connection.update({
      where: { id: row.id },
      data: { ...slotData(slot, { username: null, envelope: null, setAt: null, testedAt: null, testPassed: null }), version: { increment: 1 } },
    });
    return ok({ value: await reload(tx, row.id), action: "connection.slot_cleared", details: { slot } });
  });
}

export async function deleteConnection(db: Db, ctx: MutationContext, connectionId: unknown): Promise<Result<{ id: string }>> {
  return changeConnection(db, ctx, connectionId, undefined, async (tx, row) => {
    await tx.connection.delete({ where: { id: row.id } });
    return ok({ value: { id: row.id }, action: "connection.deleted", details: { kind: row.kind } });
  });
}
