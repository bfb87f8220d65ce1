import type { Metadata } from "next";
import { db } from "@/lib/db";
import { canView } from "@/lib/auth/assert-can";
import { can, deniedReason, tenantRolesWith } from "@/lib/auth/permissions";
import { apiKeyListSchema } from "@/lib/api-keys/schemas";
import { expiringSoon, listKeyGroups, tenantKeyCounts } from "@/lib/api-keys/queries";
import { listEntries } from "@/lib/api-keys/list-entries";
import { keyOwnerOptions } from "@/lib/service-accounts/queries";
import { tenantKeySettings, tenantMembersWithRoles } from "@/lib/tenants/queries";
import { ApiKeysView } from "./_components/api-keys-view";
import { ListTransitionProvider } from "@/components/data-table/use-list-params";

export const metadata: Metadata = { title: "API Keys" };

type SearchParams = Record<string, string | string[] | undefined>;

function currentPath(searchParams: SearchParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(key, v);
  }
  const text = query.toString();
  return "/tenant-api-keys" + (text ? `?${text}` : "");
}

export default async function TenantApiKeysPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const raw = await searchParams;
  const context = await canView("keys.read", currentPath(raw));
  const asked = apiKeyListSchema.parse(raw);
  const now = new Date();
  const canManage = can(context.role, "keys.update");
  // The expiring-soon keys, read once: the warnings count them, the Expires filter lists them.
  const [tenant, soon] = await Promise.all([tenantKeySettings(db, context.tenant.id), expiringSoon(db, context.tenant.id, now)]);
  // Keys and signed tokens in one list (list-entries.ts): one page, one total across both kinds.
  // Service accounts and environments: the toolbar's filters for every reader (the permission
  // map gives serviceAccounts.read to the roles of keys.read), the edit dialog's choices.
  const [first, counts, groups, managers, owners] = await Promise.all([
    listEntries(db, context.tenant.id, asked, now, tenant.rotationPolicyDays, soon),
    tenantKeyCounts(db, context.tenant.id, now, tenant.rotationPolicyDays, soon),
    canManage ? listKeyGroups(db, context.tenant.id) : [],
    // Whom a read-only user can ask: the roles the permission map lets change keys.
    canManage ? [] : tenantMembersWithRoles(db, context.tenant.id, tenantRolesWith("keys.update")),
    keyOwnerOptions(db, context.tenant.id),
  ]);
  // A page past the end (?page=99, or the last page emptied by a revoke elsewhere) shows the
  // last page, not "1961–13 of 13 keys" over an empty table.
  const lastPage = Math.max(1, Math.ceil(first.total / asked.pageSize));
  const params = asked.page > lastPage ? { ...asked, page: lastPage } : asked;
  const { rows, total, groups: listGroups } =
    params === asked ? first : await listEntries(db, context.tenant.id, params, now, tenant.rotationPolicyDays, soon);
  const { used, warnings } = counts;
  const revocableCount = can(context.role, "keys.revokeAll") ? counts.revocable : 0;

  const atLimit = used >= tenant.keyLimit;
  // The role's refusal is said once, by the read-only banner; only the limit is Generate's own.
  const roleDenied = deniedReason(context.role, "keys.create");
  const createDenied =
    roleDenied ?? (atLimit ? `Key limit reached (${used}/${tenant.keyLimit}). Revoke a key or ask support to raise the limit.` : null);
  const highlight = typeof raw.highlight === "string" ? raw.highlight : null;

  return (
    <ListTransitionProvider>
      <ApiKeysView
        tenantName={tenant.name}
        rows={rows}
        listGroups={listGroups}
        warnings={warnings}
        rotationPolicyDays={tenant.rotationPolicyDays}
        total={total}
        params={params}
        usage={{ used, limit: tenant.keyLimit, tokens: counts.tokens }}
        nowMs={now.getTime()}
        groups={groups}
        owners={owners}
        revocableCount={revocableCount}
        highlightId={highlight}
        managers={managers}
        permissions={{
          create: createDenied,
          createByRole: roleDenied !== null,
          manage: deniedReason(context.role, "keys.update"),
          revokeAll: deniedReason(context.role, "keys.revokeAll"),
        }}
      />
    </ListTransitionProvider>
  );
}
