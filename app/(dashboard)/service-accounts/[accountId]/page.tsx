import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { db } from "@/lib/db";
import { canView } from "@/lib/auth/assert-can";
import { deniedReason } from "@/lib/auth/permissions";
import { serviceAccountDetail, tenantMembers } from "@/lib/service-accounts/queries";
import { formatDateTime } from "@/lib/format/dates";
import { displayStatus } from "@/lib/api-keys/status";
import { StatusBadge } from "../../tenant-api-keys/_components/status-badge";
import { deleteServiceAccountAction, updateServiceAccountAction } from "../actions";
import { input } from "../notice";
import { ActionForm } from "../action-form";

export const metadata: Metadata = { title: "Service Account" };

/** One service account: its keys with last used, "+ Create Key" with its newest active key's group. */
export default async function ServiceAccountPage({ params, searchParams }: { params: Promise<{ accountId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { accountId } = await params;
  const context = await canView("serviceAccounts.read", `/service-accounts/${encodeURIComponent(accountId)}`);
  // Scoped by tenant: another tenant's id is the same 404 as one that does not exist.
  const detail = await serviceAccountDetail(db, context.tenant.id, accountId);
  if (!detail) notFound();
  const [members] = await Promise.all([tenantMembers(db, context.tenant.id), searchParams]);
  const { account, keys, prefillGroupId } = detail;
  const denied = deniedReason(context.role, "serviceAccounts.manage");
  // Generate is owners' and admins' (the permission map): others get the reason, not a form that refuses.
  const createDenied = deniedReason(context.role, "keys.create");
  const now = new Date();
  // The new key belongs to this service account, with the group of its newest active key.
  const createHref = `/tenant-api-keys/new?${new URLSearchParams({ name: `${account.name} `, serviceAccount: account.id, ...(prefillGroupId ? { group: prefillGroupId } : {}) })}`;
  return (
    <div className="max-w-4xl space-y-6">
      <Link href="/service-accounts" className="text-sm text-indigo-700 hover:underline">← Service Accounts</Link>
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">{account.name}</h1>
        {createDenied ? (
          <span className="text-sm text-slate-500">{createDenied}</span>
        ) : (
          <Link href={createHref} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">+ Create Key</Link>
        )}
      </div>
      <p className="text-sm text-slate-600">Owner: {account.owner.name} ({account.owner.email}){account.description ? ` · ${account.description}` : ""}</p>
      <section aria-labelledby="keys-title" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="keys-title" className="font-semibold">Keys</h2>
        {keys.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">No keys yet.</p>
        ) : (
          <div className="mt-3 overflow-x-auto"><table className="w-full text-left text-sm">
            <thead className="text-slate-500"><tr><th className="py-1 pr-3 font-medium">Name</th><th className="py-1 pr-3 font-medium">Status</th><th className="py-1 pr-3 font-medium">Environment</th><th className="py-1 pr-3 font-medium">Group</th><th className="py-1 pr-3 font-medium">Last used</th></tr></thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} className="border-t border-slate-100">
                  <td className="py-1.5 pr-3"><Link href={`/tenant-api-keys/${k.id}`} className="font-medium text-indigo-700 hover:underline">{k.name}</Link> <code className="text-xs text-slate-500">{k.prefix}…</code></td>
                  <td className="py-1.5 pr-3"><StatusBadge status={displayStatus(k, now.getTime())} /></td>
                  <td className="py-1.5 pr-3">{k.environment?.name ?? "—"}</td>
                  <td className="py-1.5 pr-3">{k.group.name}</td>
                  <td className="py-1.5 pr-3">{k.lastUsedAt ? formatDateTime(k.lastUsedAt.toISOString()) : "Never used"}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </section>
      {!denied && (
        <section aria-labelledby="edit-title" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="edit-title" className="font-semibold">Edit</h2>
          <ActionForm action={updateServiceAccountAction.bind(null, account.id)} label="Edit service account" className="mt-3 flex flex-wrap items-end gap-3 text-sm">
            <label className="flex flex-col gap-1">Name<input name="name" required defaultValue={account.name} className={input} /></label>
            <label className="flex flex-col gap-1">Description<input name="description" defaultValue={account.description ?? ""} className={input} /></label>
            <label className="flex flex-col gap-1">Owner
              <select name="ownerUserId" defaultValue={account.ownerUserId} className={input}>
                {members.map((m) => <option key={m.id} value={m.id}>{m.name} ({m.email})</option>)}
              </select>
            </label>
            <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50">Save</button>
          </ActionForm>
          <ActionForm action={deleteServiceAccountAction.bind(null, account.id)} label="Delete service account" goTo="/service-accounts" className="mt-4 flex flex-wrap items-center gap-3">
            <button type="submit" className="text-sm font-medium text-red-700 hover:underline">Delete service account</button>
          </ActionForm>
        </section>
      )}
    </div>
  );
}
