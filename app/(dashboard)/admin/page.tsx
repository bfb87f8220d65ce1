import type { Metadata } from "next";
import { db } from "@/lib/db";
import { canView } from "@/lib/auth/assert-can";
import { tenantOverview } from "@/lib/tenants/queries";
import { TenantsTable } from "./_components/tenants-table";
import { listUserSessions } from "@/lib/auth/sessions";
import { UserSessions } from "./_components/user-sessions";
import { SigningKeys } from "./_components/signing-keys";
import { signingKeyRows } from "@/lib/tokens/signing-keys";

export const metadata: Metadata = { title: "Tenants" };

export default async function AdminPage() {
  // Everyone but a super user gets the same 404 as a page that does not exist.
  await canView("tenants.read", "/admin");

  const now = new Date();
  const [rows, sessions, signingKeys] = await Promise.all([
    tenantOverview(db, now),
    listUserSessions(db, now),
    signingKeyRows(db, now),
  ]);

  return (
    <div className="space-y-5">
      <div>
        <p className="text-sm text-slate-500">Platform</p>
        <h1 className="text-2xl font-semibold">Tenants</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every tenant&apos;s key usage against its limit. Limit changes take effect at once and are recorded in the
          tenant&apos;s audit log.
        </p>
      </div>
      <TenantsTable rows={rows} nowMs={now.getTime()} />
      <UserSessions rows={sessions} />
      <SigningKeys rows={signingKeys} />
    </div>
  );
}
