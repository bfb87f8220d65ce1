import type { Metadata } from "next";
import { db } from "@/lib/db";
import { canView } from "@/lib/auth/assert-can";
import { auditListSchema } from "@/lib/audit/schemas";
import { listAuditEvents } from "@/lib/audit/queries";
import { auditKeys } from "@/lib/audit/chain";
import { AuditView, type AuditRow } from "./_components/audit-view";

export const metadata: Metadata = { title: "Audit Log" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const raw = await searchParams;
  const query = new URLSearchParams(
    Object.entries(raw).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
  ).toString();
  const context = await canView("audit.read", "/audit-log" + (query ? `?${query}` : ""));
  const params = auditListSchema.parse(raw);
  const { rows, total } = await listAuditEvents(db, context.tenant.id, params);
  const items: AuditRow[] = rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
  return <AuditView tenantName={context.tenant.name} rows={items} total={total} params={params} exportQuery={query} checkpointKeyId={auditKeys().keyId} />;
}
