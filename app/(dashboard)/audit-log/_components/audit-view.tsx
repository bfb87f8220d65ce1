"use client";

import { useMemo, useState } from "react";
import Link from "next/link";
import { getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import { Pagination } from "@/components/data-table/pagination";
import { TableBody } from "@/components/data-table/table-body";
import { TableHead } from "@/components/data-table/table-head";
import { useListParams } from "@/components/data-table/use-list-params";
import { Button, buttonClass } from "@/components/ui/button";
import { Input, Label, SELECT_CLASS } from "@/components/ui/field";
import { ACTOR_TYPE_LABELS, AUDIT_ACTIONS, AUDIT_ACTION_LABELS, AUDIT_ACTOR_TYPES, type AuditAction, type AuditActorType } from "@/lib/audit/actions";
import type { AuditListParams } from "@/lib/audit/schemas";
import { formatDateTimeSeconds } from "@/lib/format/dates";
import { AuditChanges, auditChanges } from "./audit-changes";
import { verifyAuditChainAction } from "../actions";

export type AuditRow = {
  id: string;
  seq: number;
  actorType: string;
  actorLabel: string;
  action: string;
  targetKeyId: string | null;
  keyPrefix: string | null;
  /** The key's current name (null for events about no key). */
  keyName: string | null;
  scopes: string | null;
  details: string | null;
  requestId: string;
  createdAt: string;
};

const columns: ColumnDef<AuditRow>[] = [
  {
    accessorKey: "createdAt",
    header: "Time",
    cell: ({ row }) => (
      <time dateTime={row.original.createdAt} className="whitespace-nowrap">
        {formatDateTimeSeconds(row.original.createdAt)}
      </time>
    ),
  },
  {
    id: "actor",
    header: "Actor",
    cell: ({ row }) => (
      <div>
        <div className="font-medium">{row.original.actorLabel}</div>
        <div className="text-xs text-slate-500">{ACTOR_TYPE_LABELS[row.original.actorType as AuditActorType] ?? row.original.actorType}</div>
      </div>
    ),
  },
  { accessorKey: "action", header: "Action", cell: ({ row }) => AUDIT_ACTION_LABELS[row.original.action as AuditAction] ?? row.original.action },
  {
    id: "key",
    header: "Key",
    cell: ({ row }) =>
      row.original.targetKeyId ? (
        <Link className="group text-indigo-700" href={`/tenant-api-keys/${row.original.targetKeyId}`}>
          {row.original.keyName && <span className="font-medium group-hover:underline">{row.original.keyName}</span>}{" "}
          <code className="font-mono text-xs text-slate-600">{row.original.keyPrefix}…</code>
        </Link>
      ) : (
        <span className="text-slate-500">—</span>
      ),
  },
  {
    id: "changes",
    header: "What changed",
    cell: ({ row }) => <AuditChanges changes={auditChanges(row.original.action, row.original.details, row.original.keyPrefix)} />,
  },
  { accessorKey: "scopes", header: "Scopes", cell: ({ row }) => <span className="text-xs">{row.original.scopes ?? ""}</span> },
  { accessorKey: "requestId", header: "Request ID", cell: ({ row }) => <code className="text-xs">{row.original.requestId}</code> },
];

export function AuditView({
  tenantName,
  rows,
  total,
  params,
  exportQuery,
  checkpointKeyId,
  rangeError = null,
}: {
  checkpointKeyId: string;
  /** Why the filters cannot match anything (a From date after To), shown instead of an empty table. */
  rangeError?: string | null;
  tenantName: string;
  rows: AuditRow[];
  total: number;
  params: AuditListParams;
  exportQuery: string;
}) {
  const { update, pending } = useListParams();
  const [filters, setFilters] = useState({
    action: params.action ?? "",
    actorType: params.actorType ?? "",
    actor: params.actor ?? "",
    key: params.key ?? "",
    from: params.from ?? "",
    to: params.to ?? "",
  });
  const [chain, setChain] = useState<string | null>(null);
  // Always newest first (the chain's order): no column sorts.
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    enableSorting: false,
    getRowId: (r) => r.id,
  });
  const exportHref = useMemo(() => {
    const query = new URLSearchParams(exportQuery);
    query.delete("page");
    query.delete("pageSize");
    const text = query.toString();
    return "/audit-log/export" + (text ? `?${text}` : "");
  }, [exportQuery]);

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">Settings → Data & Monitoring</p>
          <h1 className="text-2xl font-semibold">Audit Log</h1>
          <p className="mt-1 text-sm text-slate-600">
            Every change to {tenantName}&apos;s API keys: who, what, when. Events cannot be edited or deleted.
          </p>
          <p className="mt-1 text-xs text-slate-500">
            Each event is chained with HMAC-SHA-256; signed checkpoints (Ed25519, key <code data-testid="checkpoint-key-id">{checkpointKeyId}</code>)
            let you prove later that no event was removed or rewritten. Keep the downloaded checkpoints outside Keyward.
          </p>
        </div>
        <div className="flex gap-3">
          <Button
            variant="secondary"
            onClick={async () => {
              setChain("Verifying…");
              const result = await verifyAuditChainAction();
              if (!result.ok) return setChain(result.error.message);
              const report = result.value;
              if (report.ok) {
                setChain(
                  `Chain intact: ${report.checked} events verified.` +
                    (report.lastCheckpoint ? ` Last signed checkpoint: event #${report.lastCheckpoint.seq}.` : ""),
                );
              }
              else setChain(`Chain broken at event #${report.brokenSeq}: ${report.reason}.`);
            }}
          >
            Verify chain
          </Button>
          <a href={exportHref} className={buttonClass("secondary")} download>
            Export CSV
          </a>
          <a href="/audit-log/checkpoints" className={buttonClass("secondary")} download>
            Download checkpoints
          </a>
        </div>
      </div>
      {chain && (
        <p role="status" className="rounded-md border border-slate-200 bg-white px-4 py-2 text-sm" data-testid="chain-status">
          {chain}
        </p>
      )}
      <form
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
        aria-busy={pending}
        onSubmit={(event) => {
          event.preventDefault();
          update({ ...filters });
        }}
      >
        <div>
          <Label htmlFor="audit-action">Action</Label>
          <select
            id="audit-action"
            className={SELECT_CLASS}
            value={filters.action}
            onChange={(e) => setFilters({ ...filters, action: e.target.value })}
          >
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {AUDIT_ACTION_LABELS[action]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <Label htmlFor="audit-actor-type">Actor type</Label>
          <select id="audit-actor-type" className={SELECT_CLASS} value={filters.actorType} onChange={(e) => setFilters({ ...filters, actorType: e.target.value })}>
            <option value="">All actor types</option>
            {AUDIT_ACTOR_TYPES.map((type) => (
              <option key={type} value={type}>{ACTOR_TYPE_LABELS[type]}</option>
            ))}
          </select>
        </div>
        <div>
          <Label htmlFor="audit-actor">Actor</Label>
          <Input id="audit-actor" placeholder="email or key prefix" value={filters.actor} onChange={(e) => setFilters({ ...filters, actor: e.target.value })} />
        </div>
        <div>
          <Label htmlFor="audit-key">Key</Label>
          <Input id="audit-key" placeholder="key id or kw_ prefix" value={filters.key} onChange={(e) => setFilters({ ...filters, key: e.target.value })} />
        </div>
        <div>
          <Label htmlFor="audit-from">From</Label>
          <Input id="audit-from" type="date" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
        </div>
        <div>
          <Label htmlFor="audit-to">To</Label>
          <Input
            id="audit-to"
            type="date"
            value={filters.to}
            aria-invalid={rangeError !== null}
            aria-describedby={rangeError ? "audit-range-error" : undefined}
            onChange={(e) => setFilters({ ...filters, to: e.target.value })}
          />
        </div>
        {/* One group, so a narrow window wraps both buttons together, never Reset alone. */}
        <div className="flex gap-2">
          <Button type="submit">Apply filters</Button>
          <Button
            variant="ghost"
            onClick={() => {
              const empty = { action: "", actorType: "", actor: "", key: "", from: "", to: "" };
              setFilters(empty);
              update(empty);
            }}
          >
            Reset
          </Button>
        </div>
      </form>
      {rangeError ? (
        <p id="audit-range-error" role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-800">
          {rangeError}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <TableHead table={table} />
            <TableBody table={table} emptyText="No audit events match these filters." />
          </table>
        </div>
      )}
      <Pagination page={params.page} pageSize={params.pageSize} total={total} pageSizes={[25, 50, 100]} noun="events" />
    </div>
  );
}
