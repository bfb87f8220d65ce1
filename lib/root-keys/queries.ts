import "server-only";
import type { Db } from "../db/prisma";

export type RootKeyRow = {
  id: string;
  name: string;
  prefix: string;
  status: string;
  allTenants: boolean;
  tenantIds: string[];
  createdAt: string;
  /** Written in batches by the verification servers (lib/verify/usage.ts), within a flush interval. */
  lastUsedAt: string | null;
  rotatedAt: string | null;
  revokedAt: string | null;
};

export async function listRootKeys(db: Db): Promise<RootKeyRow[]> {
  const rows = await db.rootKey.findMany({
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
    select: { id: true, name: true, prefix: true, status: true, allTenants: true, tenantIds: true, createdAt: true, lastUsedAt: true, rotatedAt: true, revokedAt: true },
    take: 500,
  });
  return rows.map((row) => ({
    ...row,
    tenantIds: row.tenantIds.split(" ").filter(Boolean),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    rotatedAt: row.rotatedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }));
}

export async function listPlatformAudit(db: Db, take = 50) {
  const rows = await db.platformAuditEvent.findMany({ orderBy: { createdAt: "desc" }, take });
  return rows.map((row) => ({
    id: row.id,
    action: row.action,
    actorLabel: row.actorLabel,
    keyPrefix: row.keyPrefix,
    requestId: row.requestId,
    createdAt: row.createdAt.toISOString(),
  }));
}
