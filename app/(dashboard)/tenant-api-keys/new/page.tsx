import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/lib/db";
import { canView } from "@/lib/auth/assert-can";
import { deniedReason, tenantRolesWith } from "@/lib/auth/permissions";
import { countActiveKeys, listKeyGroups } from "@/lib/api-keys/queries";
import { EXPIRATION_PRESETS } from "@/lib/api-keys/schemas";
import { tenantKeySettings, tenantMembersWithRoles } from "@/lib/tenants/queries";
import { readOnlyText } from "../_components/read-only-banner";
import { generateDefaults } from "@/lib/assistant/links";
import { keyOwnerOptions } from "@/lib/service-accounts/queries";
import { GenerateKeyForm } from "./generate-key-form";
import { GenerateTokenForm } from "./generate-token-form";

export const metadata: Metadata = { title: "Generate API Key" };

export default async function NewApiKeyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // The form is for keys.create; everyone who may read keys sees why they cannot use it.
  const context = await canView("keys.read", "/tenant-api-keys/new");
  const query = await searchParams;
  // "Signed token (JWT)" beside "API key": the choice is a link, so it survives a reload.
  const kind = query.type === "token" ? "token" : "key";
  // `used` counts live keys and live signed tokens: both take places of the limit.
  const [groups, used, tenant, owners] = await Promise.all([
    listKeyGroups(db, context.tenant.id),
    countActiveKeys(db, context.tenant.id),
    tenantKeySettings(db, context.tenant.id),
    keyOwnerOptions(db, context.tenant.id),
  ]);
  const permission = kind === "token" ? "tokens.create" : "keys.create";
  const roleDenied = deniedReason(context.role, permission);
  // At the limit the form would only fail: the page says so instead (the server refuses too,
  // for a form opened before the limit was reached).
  const denied = roleDenied
    ? readOnlyText(roleDenied, await tenantMembersWithRoles(db, context.tenant.id, tenantRolesWith(permission)))
    : used >= tenant.keyLimit
      ? `Key limit reached (${used}/${tenant.keyLimit}). Revoke a key or ask support to raise the limit before you generate ${kind === "token" ? "a token" : "a key"}.`
      : null;
  // The command bar opens this form pre-filled through the query string.
  const defaults = generateDefaults(
    query,
    groups.map((g) => g.id),
    EXPIRATION_PRESETS.map((p) => p.value),
    { serviceAccountIds: owners.serviceAccounts.map((a) => a.id), environmentIds: owners.environments.map((e) => e.id) },
  );

  return (
    <div className="max-w-2xl">
      <Link href="/tenant-api-keys" className="text-sm text-indigo-700 hover:underline">
        ← API Keys
      </Link>
      <h1 className="mt-2 text-2xl font-semibold">{kind === "token" ? "Generate Signed Token" : "Generate API Key"}</h1>
      <nav aria-label="What to generate" className="mt-3 inline-flex rounded-md border border-slate-200 bg-white p-1 text-sm">
        {(
          [
            ["key", "API key", "/tenant-api-keys/new"],
            ["token", "Signed token (JWT)", "/tenant-api-keys/new?type=token"],
          ] as const
        ).map(([value, label, href]) => (
          <Link
            key={value}
            href={href}
            aria-current={kind === value ? "page" : undefined}
            className={`rounded px-3 py-1 ${kind === value ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {label}
          </Link>
        ))}
      </nav>
      <p className="mt-2 text-sm text-slate-600">
        {kind === "token"
          ? `${used}/${tenant.keyLimit} keys in use. A signed token takes a place of the key limit until it expires or is revoked. The token is shown once, right after you click Generate JWT.`
          : `${used}/${tenant.keyLimit} keys in use. The secret is shown once, right after you click Generate.`}
      </p>
      {denied ? (
        <p role="alert" className="mt-6 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-800">
          {denied}
        </p>
      ) : (
        kind === "token" ? <GenerateTokenForm groups={groups} /> : <GenerateKeyForm groups={groups} owners={owners} defaults={defaults} />
      )}
    </div>
  );
}
