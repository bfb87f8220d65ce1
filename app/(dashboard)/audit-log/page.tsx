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
  // A From date after To matches nothing by definition: the page says why instead of querying.
  const rangeError =
    params.from && params.to && params.from > params.to
      ? `The From date (${params.from}) is after the To date (${params.to}), so no event can match. Swap the dates or change one of them.`
      : null;
  const { rows, total } = rangeError ? { rows: [], total: 0 } : await listAuditEvents(db, context.tenant.id, params);
  // The keys' names, beside their prefixes: one read for the page's keys, scoped by tenant.
  const keyIds = [...new Set(rows.map((row) => row.targetKeyId).filter((id): id is string => id !== null))];
  const names = new Map(
    keyIds.length === 0
      ? []
      : (await db.apiKey.findMany({ where: { tenantId: context.tenant.id, id: { in: keyIds } }, select: { id: true, name: true } })).map(
          (key) => [key.id, key.name] as const,
        ),
  );
  const items: AuditRow[] = rows.map((row) => ({
    ...row,
    keyName: row.targetKeyId ? (names.get(row.targetKeyId) ?? null) : null,
    createdAt: row.createdAt.toISOString(),
  }));
  return (
    <AuditView
      tenantName={context.tenant.name}
      rows={items}
      total={total}
      params={params}
      exportQuery={query}
      checkpointKeyId={auditKeys().keyId}
      rangeError={rangeError}
    />
  );
}
