import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/lib/db";
import { requireTenantContext } from "@/lib/auth/session";
import { deniedReason } from "@/lib/auth/permissions";
import { countActiveKeys, listKeyGroups } from "@/lib/api-keys/queries";
import { EXPIRATION_PRESETS } from "@/lib/api-keys/schemas";
import { tenantKeySettings } from "@/lib/tenants/queries";
import { generateDefaults } from "@/lib/assistant/links";
import { GenerateKeyForm } from "./generate-key-form";

export const metadata: Metadata = { title: "Generate API Key" };

export default async function NewApiKeyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const context = await requireTenantContext("/tenant-api-keys/new");
  const [groups, used, tenant] = await Promise.all([
    listKeyGroups(db, context.tenant.id),
    countActiveKeys(db, context.tenant.id),
    tenantKeySettings(db, context.tenant.id),
  ]);
  const denied = deniedReason(context.role, "keys.create");
  // The command bar opens this form pre-filled through the query string.
  const defaults = generateDefaults(
    await searchParams,
    groups.map((g) => g.id),
    EXPIRATION_PRESETS.map((p) => p.value),
  );

  return (
    <div className="max-w-2xl">
      <Link href="/tenant-api-keys" className="text-sm text-indigo-700 hover:underline">
        ← API Keys
      </Link>
      <h1 className="mt-2 text-2xl font-semibold">Generate API Key</h1>
      <p className="mt-1 text-sm text-slate-600">
        {used}/{tenant.keyLimit} keys in use. The secret is shown once, right after you click Generate.
      </p>
      {denied ? (
        <p role="alert" className="mt-6 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-800">
          {denied}
        </p>
      ) : (
        <GenerateKeyForm groups={groups} defaults={defaults} />
      )}
    </div>
  );
}
