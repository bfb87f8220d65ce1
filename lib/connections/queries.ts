import type { Db } from "@/lib/db/prisma";
import { connectionSelect, toPublicConnection, type PublicConnection } from "./row";

/** The tenant's connections as the page shows them: settings and slot states, never a secret. */
export async function listConnections(db: Db, tenantId: string): Promise<PublicConnection[]> {
  const rows = await db.connection.findMany({ where: { tenantId }, select: connectionSelect, orderBy: [{ name: "asc" }, { id: "asc" }] });
  return rows.map(toPublicConnection);
}

/** One of the tenant's connections; another tenant's is null ("not found"). */
export async function getConnection(db: Db, tenantId: string, id: string): Promise<PublicConnection | null> {
  if (id.length === 0 || id.length > 64) return null;
  const row = await db.connection.findFirst({ where: { id, tenantId }, select: connectionSelect });
  return row ? toPublicConnection(row) : null;
}
