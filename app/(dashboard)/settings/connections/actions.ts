"use server";

// Connection credentials from the dashboard (lib/connections/). Every export is a public
// endpoint: each checks the session, the role and the tenant itself (withPermission) and takes no
// tenant id from the caller. Arguments may hold a secret: they are never logged.
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { withPermission } from "@/lib/auth/action-context";
import { clearSlot, createConnection, deleteConnection, switchSlot, testCredential, writeCredential, type TestOutcome } from "@/lib/connections/mutations";
import type { PublicConnection } from "@/lib/connections/row";
import type { Result } from "@/lib/result";

const PAGE = "/settings/connections";

function refreshed<T>(result: Result<T>): Result<T> {
  if (result.ok) revalidatePath(PAGE);
  return result;
}

const version = (value: unknown) => (typeof value === "number" && Number.isInteger(value) ? value : undefined);

export async function createConnectionAction(input: unknown): Promise<Result<PublicConnection>> {
  return refreshed(await withPermission("connections.manage", (ctx) => createConnection(db, ctx, input)));
}

/** Update Credentials: the new credential goes into the inactive slot; the active one keeps serving. */
export async function writeCredentialAction(connectionId: unknown, input: unknown, expectedVersion: unknown): Promise<Result<PublicConnection>> {
  return refreshed(await withPermission("connections.manage", (ctx) => writeCredential(db, ctx, connectionId, input, version(expectedVersion))));
}

export async function testCredentialAction(connectionId: unknown, slot: unknown): Promise<Result<TestOutcome>> {
  return refreshed(await withPermission("connections.manage", (ctx) => testCredential(db, ctx, connectionId, slot)));
}

/** Save: switch to the slot that passed its Test (or, explicitly, untested). */
export async function switchSlotAction(connectionId: unknown, options: unknown): Promise<Result<PublicConnection>> {
  const given = (typeof options === "object" && options !== null ? options : {}) as { untested?: unknown; expectedVersion?: unknown };
  return refreshed(
    await withPermission("connections.manage", (ctx) =>
      switchSlot(db, ctx, connectionId, { untested: given.untested === true, expectedVersion: version(given.expectedVersion) }),
    ),
  );
}

export async function clearSlotAction(connectionId: unknown, expectedVersion: unknown): Promise<Result<PublicConnection>> {
  return refreshed(await withPermission("connections.manage", (ctx) => clearSlot(db, ctx, connectionId, version(expectedVersion))));
}

export async function deleteConnectionAction(connectionId: unknown): Promise<Result<{ id: string }>> {
  return refreshed(await withPermission("connections.manage", (ctx) => deleteConnection(db, ctx, connectionId)));
}
