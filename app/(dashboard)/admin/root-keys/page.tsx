import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { db } from "@/lib/db";
import { getSuperUser, requireTenantContext } from "@/lib/auth/session";
import { canOnPlatform, platformActorOf } from "@/lib/auth/permissions";
import { listPlatformAudit, listRootKeys } from "@/lib/root-keys/queries";
import { listTenantNames } from "@/lib/tenants/queries";
import { RootKeysView } from "./_components/root-keys-view";

export const metadata: Metadata = { title: "Root keys" };

export default async function RootKeysPage() {
  await requireTenantContext("/admin/root-keys");
  // Everyone but a super user gets the same 404 as a page that does not exist.
  if (!canOnPlatform(platformActorOf(await getSuperUser()), "rootKeys.read")) notFound();
  const [keys, tenants, events] = await Promise.all([
    listRootKeys(db),
    listTenantNames(db),
    listPlatformAudit(db, 20),
  ]);
  return (
    <div className="space-y-5">
      <div>
        <p className="text-sm text-slate-500">Platform</p>
        <h1 className="text-2xl font-semibold">Root keys</h1>
        <p className="mt-1 text-sm text-slate-600">
          Credentials for the platform&apos;s own services (gateways, backends): they verify tenants&apos; API keys through{" "}
          <code>POST /v1/keys/verify</code> and <code>/v1/authorize</code>. A root key cannot manage keys. Changes are recorded in
          the platform audit log below.
        </p>
      </div>
      <RootKeysView keys={keys} tenants={tenants} events={events} />
    </div>
  );
}
