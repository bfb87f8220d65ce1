"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { formatDateTime } from "@/lib/format/dates";
import type { RootKeyRow } from "@/lib/root-keys/queries";
import { revokeRootKeyAction, rotateRootKeyAction } from "../actions";
import { CreateRootKeyForm } from "./create-root-key-form";
import { RootSecretDialog, type ShownRootSecret } from "./root-secret-dialog";
import { RenameRootKeyDialog } from "./rename-root-key-dialog";

type Tenant = { id: string; name: string };
type Event = { id: string; action: string; actorLabel: string; keyPrefix: string | null; requestId: string; createdAt: string };
type Pending = { kind: "rotate" | "revoke"; key: RootKeyRow } | null;

export function RootKeysView({ keys, tenants, events }: { keys: RootKeyRow[]; tenants: Tenant[]; events: Event[] }) {
  const router = useRouter();
  const [shown, setShown] = useState<ShownRootSecret | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [renaming, setRenaming] = useState<RootKeyRow | null>(null);
  const tenantName = new Map(tenants.map((t) => [t.id, t.name]));

  return (
    <div className="space-y-6">
      <CreateRootKeyForm tenants={tenants} onCreated={(created) => setShown({ ...created, kind: "created" })} />

      <section aria-labelledby="root-keys-heading" className="rounded-xl border border-slate-200 bg-white">
        <h2 id="root-keys-heading" className="border-b border-slate-200 px-4 py-3 text-base font-semibold">
          Root keys ({keys.filter((k) => k.status === "active").length} active)
        </h2>
        {keys.length === 0 ? (
          <p className="px-4 py-6 text-sm text-slate-600">No root keys yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-4 py-2">Name</th>
                <th className="px-4 py-2">Prefix</th>
                <th className="px-4 py-2">Tenants</th>
                <th className="px-4 py-2">Status</th>
                <th className="px-4 py-2">Created</th>
                <th className="px-4 py-2">Last used</th>
                <th className="px-4 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} className="border-t border-slate-100">
                  <td className="px-4 py-2 font-medium">{key.name}</td>
                  <td className="px-4 py-2 font-mono text-xs">{key.prefix}…</td>
                  <td className="px-4 py-2">
                    {key.allTenants ? "All tenants" : key.tenantIds.map((id) => tenantName.get(id) ?? id).join(", ")}
                  </td>
                  <td className="px-4 py-2">{key.status === "active" ? "Active" : `Revoked ${key.revokedAt ? formatDateTime(key.revokedAt) : ""}`}</td>
                  <td className="px-4 py-2">{formatDateTime(key.createdAt)}</td>
                  <td className="px-4 py-2">{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "Never"}</td>
                  <td className="px-4 py-2 text-right">
                    {key.status === "active" && (
                      <span className="inline-flex gap-2">
                        <Button variant="ghost" aria-label={`Rename ${key.name}`} onClick={() => setRenaming(key)}>
                          Rename
                        </Button>
                        <Button variant="secondary" aria-label={`Rotate ${key.name}`} onClick={() => setPending({ kind: "rotate", key })}>
                          Rotate
                        </Button>
                        <Button variant="danger" aria-label={`Revoke ${key.name}`} onClick={() => setPending({ kind: "revoke", key })}>
                          Revoke
                        </Button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="platform-audit-heading" className="rounded-xl border border-slate-200 bg-white">
        <h2 id="platform-audit-heading" className="border-b border-slate-200 px-4 py-3 text-base font-semibold">
          Platform audit log
        </h2>
        <ul className="divide-y divide-slate-100 text-sm">
          {events.length === 0 && <li className="px-4 py-3 text-slate-600">No events yet.</li>}
          {events.map((event) => (
            <li key={event.id} className="flex flex-wrap gap-x-4 px-4 py-2">
              <span className="font-mono text-xs">{event.action}</span>
              <span>{event.keyPrefix}</span>
              <span>{event.actorLabel}</span>
              <span className="text-slate-500">{formatDateTime(event.createdAt)}</span>
              <span className="font-mono text-xs text-slate-400">{event.requestId}</span>
            </li>
          ))}
        </ul>
      </section>

      <ConfirmDialog
        open={pending !== null}
        onOpenChange={(open) => !open && setPending(null)}
        title={pending?.kind === "rotate" ? "Rotate root key" : "Revoke root key"}
        description={
          pending?.kind === "rotate"
            ? `Rotate ${pending.key.name}? A new secret is shown once; the current one stops working at once.`
            : `Are you sure you want to revoke the root key ${pending?.key.name}? This cannot be undone, and every service using it loses access immediately.`
        }
        confirmLabel={pending?.kind === "rotate" ? "Rotate" : "Revoke"}
        onConfirm={async () => {
          if (!pending) return null;
          if (pending.kind === "rotate") {
            const result = await rotateRootKeyAction(pending.key.id);
            if (!result.ok) return result.error.message;
            setShown({ ...result.value, kind: "rotated" });
          } else {
            const result = await revokeRootKeyAction(pending.key.id);
            if (!result.ok) return result.error.message;
          }
          setPending(null);
          router.refresh();
          return null;
        }}
      />
      <RootSecretDialog shown={shown} onClosed={() => setShown(null)} />
      {renaming && <RenameRootKeyDialog key={renaming.id} rootKey={renaming} onClose={() => setRenaming(null)} />}
    </div>
  );
}
