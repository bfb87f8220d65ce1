import type { Metadata } from "next";
import { db } from "@/lib/db";
import { canView } from "@/lib/auth/assert-can";
import { listPlatformAudit, listRootKeys } from "@/lib/root-keys/queries";
import { listTenantNames } from "@/lib/tenants/queries";
import { RootKeysView } from "./_components/root-keys-view";

export const metadata: Metadata = { title: "Root keys" };

export default async function RootKeysPage() {
  // Everyone but a super user gets the same 404 as a page that does not exist.
  await canView("rootKeys.read", "/admin/root-keys");
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
