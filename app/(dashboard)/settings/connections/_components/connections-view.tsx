"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { formatDateTime } from "@/lib/format/dates";
import { KIND_LABELS, otherSlot } from "@/lib/connections/schemas";
import type { PublicConnection, PublicSlot } from "@/lib/connections/row";
import { clearSlotAction, deleteConnectionAction, switchSlotAction, testCredentialAction } from "../actions";
import { NewConnectionForm } from "./new-connection-form";
import { UpdateCredentialsDialog } from "./update-credentials-dialog";

/** The tenant's connections; every change button is disabled with the reason when the role may only read. */
export function ConnectionsView({ connections, denied }: { connections: PublicConnection[]; denied: string | null }) {
  const [creating, setCreating] = useState(false);
  return (
    <div className="mt-6 space-y-6">
      <div className="flex items-center justify-between">
        <p className="text-sm text-slate-600">{connections.length === 1 ? "1 connection" : `${connections.length} connections`}</p>
        <Button disabled={denied !== null} title={denied ?? undefined} onClick={() => setCreating(true)}>
          New connection
        </Button>
      </div>
      {denied && <p className="text-xs text-slate-500">{denied}</p>}
      {creating && <NewConnectionForm onDone={() => setCreating(false)} />}
      {connections.length === 0 && !creating && <p className="text-sm text-slate-600">No connections yet.</p>}
      {connections.map((connection) => (
        <ConnectionCard key={connection.id} connection={connection} denied={denied} />
      ))}
    </div>
  );
}

function settingsText(connection: PublicConnection): string {
  const s = connection.settings as Record<string, unknown>;
  if (connection.kind === "postgresql") return `${s.host}:${s.port}/${s.database}`;
  if (connection.kind === "http") return `${s.baseUrl} · header ${s.headerName} · test ${s.testPath}`;
  return "A secret for the platform's services";
}

function testText(slot: PublicSlot): string {
  if (!slot.hasCredential) return "—";
  if (!slot.testedAt) return "Not tested";
  return `${slot.testPassed ? "Passed" : "Failed"} ${formatDateTime(slot.testedAt)}`;
}

function ConnectionCard({ connection, denied }: { connection: PublicConnection; denied: string | null }) {
  const router = useRouter();
  const [updating, setUpdating] = useState(false);
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const [confirm, setConfirm] = useState<"untested" | "clear" | "delete" | null>(null);
  const [busy, setBusy] = useState(false);
  const inactive = connection.slots.find((s) => !s.active)!;
  // As the server decides (lib/connections/row.ts, testedOk): a pass of what the slot holds now.
  const inactiveReady =
    inactive.hasCredential && inactive.testPassed === true && inactive.testedAt !== null && inactive.setAt !== null && inactive.testedAt >= inactive.setAt;
  const disabled = denied !== null || busy;

  async function run<T>(work: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>, done: (value: T) => string) {
    setBusy(true);
    const result = await work();
    setBusy(false);
    setMessage(result.ok ? { text: done(result.value), ok: true } : { text: result.error.message, ok: false });
    router.refresh();
    return result.ok ? null : result.error.message;
  }

  return (
    <section aria-label={`Connection ${connection.name}`} className="rounded-lg border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-base font-semibold">{connection.name}</h2>
          <p className="text-sm text-slate-600">
            {KIND_LABELS[connection.kind]} · {settingsText(connection)}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button disabled={disabled} title={denied ?? undefined} onClick={() => setUpdating(true)}>
            Update Credentials
          </Button>
          <Button variant="secondary-danger" disabled={disabled} title={denied ?? undefined} onClick={() => setConfirm("delete")}>
            Delete
          </Button>
        </div>
      </div>
      <table className="mt-4 w-full text-left text-sm">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 font-medium">Slot</th>
            {connection.kind === "postgresql" && <th className="py-1 font-medium">User</th>}
            <th className="py-1 font-medium">Secret</th>
            <th className="py-1 font-medium">Set</th>
            <th className="py-1 font-medium">Last test</th>
            <th className="py-1 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {connection.slots.map((slot) => (
            <tr key={slot.slot} aria-label={`${slot.slot} slot`} className="border-t border-slate-100">
              <td className="py-2 capitalize">
                {slot.slot}
                {slot.active && <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-xs font-medium text-green-800">Active</span>}
              </td>
              {connection.kind === "postgresql" && <td className="py-2">{slot.username ?? "—"}</td>}
              <td className="py-2 font-mono text-slate-500">{slot.hasCredential ? "••••••••" : "Empty"}</td>
              <td className="py-2">{slot.setAt ? formatDateTime(slot.setAt) : "—"}</td>
              <td className="py-2">{testText(slot)}</td>
              <td className="py-2 text-right">
                {slot.hasCredential && connection.kind !== "secret" && (
                  <Button
                    variant="secondary"
                    disabled={disabled}
                    title={denied ?? undefined}
                    aria-label={`Test ${slot.slot} credential of ${connection.name}`}
                    onClick={() => run(() => testCredentialAction(connection.id, slot.slot), (v) => v.message)}
                  >
                    Test
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {message && (
        <p role={message.ok ? "status" : "alert"} className={`mt-3 text-sm ${message.ok ? "text-green-800" : "text-red-700"}`}>
          {message.text}
        </p>
      )}
      {inactive.hasCredential && (
        <div className="mt-3 flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3">
          <Button
            disabled={disabled || !inactiveReady}
            title={denied ?? (inactiveReady ? undefined : `Test the ${inactive.slot} credential first`)}
            onClick={() => run(() => switchSlotAction(connection.id, { expectedVersion: connection.version }), () => `Switched to the ${inactive.slot} slot.`)}
          >
            Save: switch to {inactive.slot}
          </Button>
          <Button variant="secondary" disabled={disabled} title={denied ?? undefined} onClick={() => setConfirm("untested")}>
            Save untested
          </Button>
          <Button variant="secondary" disabled={disabled} title={denied ?? undefined} onClick={() => setConfirm("clear")}>
            Clear {inactive.slot} slot
          </Button>
        </div>
      )}
      {updating && (
        <UpdateCredentialsDialog
          connection={connection}
          onClose={() => {
            setUpdating(false);
            router.refresh();
          }}
        />
      )}
      <ConfirmDialog
        open={confirm === "untested"}
        onOpenChange={(open) => !open && setConfirm(null)}
        variant="primary"
        title={`Switch ${connection.name} untested?`}
        description={`The ${inactive.slot} credential becomes the one consumers use without a passing Test. This is recorded in the audit log.`}
        confirmLabel="Save untested"
        onConfirm={async () => {
          const error = await run(() => switchSlotAction(connection.id, { untested: true, expectedVersion: connection.version }), () => `Switched to the ${inactive.slot} slot (untested).`);
          if (!error) setConfirm(null);
          return error;
        }}
      />
      <ConfirmDialog
        open={confirm === "clear"}
        onOpenChange={(open) => !open && setConfirm(null)}
        title={`Clear the ${inactive.slot} slot of ${connection.name}?`}
        description={`Consumers then get only the ${otherSlot(inactive.slot)} credential. Remove the old credential from the other system too.`}
        confirmLabel="Clear slot"
        onConfirm={async () => {
          const error = await run(() => clearSlotAction(connection.id, connection.version), () => `The ${inactive.slot} slot is empty.`);
          if (!error) setConfirm(null);
          return error;
        }}
      />
      <ConfirmDialog
        open={confirm === "delete"}
        onOpenChange={(open) => !open && setConfirm(null)}
        title={`Delete the connection ${connection.name}?`}
        description="Both credentials are deleted and consumers reading this connection get 404 at once. This cannot be undone."
        confirmLabel="Delete connection"
        onConfirm={async () => {
          const error = await run(() => deleteConnectionAction(connection.id), () => "Deleted.");
          if (!error) setConfirm(null);
          return error;
        }}
      />
    </section>
  );
}
