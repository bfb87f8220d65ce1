import type { Metadata } from "next";
import { canView } from "@/lib/auth/assert-can";
import { deniedReason } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { listConnections } from "@/lib/connections/queries";
import { ConnectionsView } from "./_components/connections-view";

export const metadata: Metadata = { title: "Connections" };

export default async function ConnectionsPage() {
  const context = await canView("connections.read", "/settings/connections");
  const connections = await listConnections(db, context.tenant.id);
  return (
    <div className="max-w-4xl">
      <h1 className="text-2xl font-semibold">Connections</h1>
      <p className="mt-1 text-sm text-slate-600">
        Credentials {context.tenant.name}&apos;s services use to reach other systems. Each connection has a primary and a secondary
        slot: write the new credential into the inactive slot, Test it, then Save to switch; clear the old slot once every consumer
        has moved. Stored secrets are encrypted and never shown again.
      </p>
      <ConnectionsView connections={connections} denied={deniedReason(context.role, "connections.manage")} />
    </div>
  );
}
