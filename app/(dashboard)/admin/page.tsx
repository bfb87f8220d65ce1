import type { Metadata } from "next";
import { db } from "@/lib/db";
import { canView } from "@/lib/auth/assert-can";
import { countingKeysWhere } from "@/lib/api-keys/where";
import { TenantsTable, type TenantRow } from "./_components/tenants-table";
import { listUserSessions } from "@/lib/auth/sessions";
import { UserSessions } from "./_components/user-sessions";
import { SigningKeys } from "./_components/signing-keys";
import { publishedKeys } from "@/lib/tokens/signing-keys";

export const metadata: Metadata = { title: "Tenants" };

export default async function AdminPage() {
  // Everyone but a super user gets the same 404 as a page that does not exist.
  await canView("tenants.read", "/admin");

  const now = new Date();
  const tenants = await db.tenant.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, slug: true, keyLimit: true, _count: { select: { memberships: true } } },
  });
  const rows: TenantRow[] = await Promise.all(
    tenants.map(async (tenant) => {
      const [used, lastEvent, lastUse] = await Promise.all([
        db.apiKey.count({ where: countingKeysWhere(tenant.id, now) }),
        db.auditEvent.findFirst({ where: { tenantId: tenant.id }, orderBy: { seq: "desc" }, select: { createdAt: true } }),
        db.apiKey.findFirst({
          where: { tenantId: tenant.id, lastUsedAt: { not: null } },
          orderBy: { lastUsedAt: "desc" },
          select: { lastUsedAt: true },
        }),
      ]);
      const times = [lastEvent?.createdAt, lastUse?.lastUsedAt].filter((d): d is Date => !!d).map((d) => d.getTime());
      return {
        id: tenant.id,
        name: tenant.name,
        keyLimit: tenant.keyLimit,
        used,
        members: tenant._count.memberships,
        lastActivity: times.length ? new Date(Math.max(...times)).toISOString() : null,
      };
    }),
  );

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
      <UserSessions rows={await listUserSessions(db, now)} />
      <SigningKeys rows={await signingKeyRows(now)} />
    </div>
  );
}

async function signingKeyRows(now: Date) {
  const [keys, published] = await Promise.all([
    db.signingKey.findMany({ orderBy: { createdAt: "desc" }, take: 20, select: { id: true, createdAt: true, retiredAt: true } }),
    publishedKeys(db, now),
  ]);
  const live = new Set(published.map((k) => k.kid));
  return keys.map((k) => ({ kid: k.id, createdAt: k.createdAt.toISOString(), retiredAt: k.retiredAt?.toISOString() ?? null, published: live.has(k.id) }));
}
