import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/lib/db";
import { canView } from "@/lib/auth/assert-can";
import { deniedReason } from "@/lib/auth/permissions";
import { listEnvironments, listServiceAccounts, tenantMembers } from "@/lib/service-accounts/queries";
import { formatDateTime } from "@/lib/format/dates";
import { createEnvironmentAction, createServiceAccountAction, deleteEnvironmentAction } from "./actions";
import { input } from "./notice";
import { ActionForm } from "./action-form";
import { DEFAULT_ENVIRONMENT } from "@/lib/environments/defaults";

export const metadata: Metadata = { title: "Service Accounts" };

/** Service accounts and environments of the tenant (issue 15): who runs each key, and where. */
export default async function ServiceAccountsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const context = await canView("serviceAccounts.read", "/service-accounts");
  await searchParams;
  const [accounts, environments, members] = await Promise.all([
    listServiceAccounts(db, context.tenant.id),
    listEnvironments(db, context.tenant.id),
    tenantMembers(db, context.tenant.id),
  ]);
  const denied = deniedReason(context.role, "serviceAccounts.manage");
  return (
    <div className="max-w-4xl space-y-6">
      <h1 className="text-2xl font-semibold">Service Accounts</h1>
      <section aria-labelledby="accounts-title" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="accounts-title" className="font-semibold">Service accounts</h2>
        {accounts.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">No service accounts yet.</p>
        ) : (
          <div className="mt-3 overflow-x-auto"><table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr><th className="py-1 pr-3 font-medium">Name</th><th className="py-1 pr-3 font-medium">Owner</th><th className="py-1 pr-3 font-medium">Keys</th><th className="py-1 pr-3 font-medium">Created</th></tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.id} className="border-t border-slate-100">
                  <td className="py-1.5 pr-3"><Link href={`/service-accounts/${a.id}`} className="font-medium text-indigo-700 hover:underline">{a.name}</Link>{a.description && <span className="block text-xs text-slate-500">{a.description}</span>}</td>
                  <td className="py-1.5 pr-3">{a.owner.name} <span className="text-slate-500">({a.owner.email})</span></td>
                  <td className="py-1.5 pr-3"><Link href={`/tenant-api-keys?serviceAccount=${a.id}`} className="hover:underline">{a._count.apiKeys}</Link></td>
                  <td className="py-1.5 pr-3">{formatDateTime(a.createdAt.toISOString())}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
        {denied ? (
          <p className="mt-4 text-sm text-slate-500">{denied}</p>
        ) : (
          <ActionForm action={createServiceAccountAction} goTo="/service-accounts/{id}" className="mt-4 flex flex-wrap items-end gap-3 text-sm" label="New service account">
            <label className="flex flex-col gap-1">Name<input name="name" required minLength={2} maxLength={100} className={input} placeholder="scheduler" /></label>
            <label className="flex flex-col gap-1">Description<input name="description" maxLength={500} className={input} /></label>
            <label className="flex flex-col gap-1">Owner
              <select name="ownerUserId" required className={input} defaultValue={context.user.id}>
                {members.map((m) => <option key={m.id} value={m.id}>{m.name} ({m.email})</option>)}
              </select>
            </label>
            <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700">Create service account</button>
          </ActionForm>
        )}
      </section>
      <section aria-labelledby="environments-title" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="environments-title" className="font-semibold">Environments</h2>
        <ul className="mt-3 space-y-1 text-sm">
          {environments.map((e) => (
            <li key={e.id} className="flex items-center gap-3">
              <Link href={`/tenant-api-keys?environment=${e.id}`} className="font-medium hover:underline">{e.name}</Link>
              <span className="text-slate-500">{e._count.apiKeys} {e._count.apiKeys === 1 ? "key" : "keys"}</span>
              {e.name === DEFAULT_ENVIRONMENT ? (
                <span className="text-xs text-slate-500">Default for new keys</span>
              ) : !denied && (
                <ActionForm action={deleteEnvironmentAction.bind(null, e.id)} label={`Delete environment ${e.name}`} className="flex items-center gap-2">
                  <button type="submit" className="text-red-700 hover:underline">Delete</button>
                </ActionForm>
              )}
            </li>
          ))}
        </ul>
        {!denied && (
          <ActionForm action={createEnvironmentAction} className="mt-4 flex flex-wrap items-end gap-3 text-sm" label="New environment">
            <label className="flex flex-col gap-1">Name<input name="name" required className={input} placeholder="eu-staging" /></label>
            <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50">Add environment</button>
          </ActionForm>
        )}
      </section>
    </div>
  );
}
