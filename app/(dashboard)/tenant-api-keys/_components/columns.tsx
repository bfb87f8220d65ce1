"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { formatDateTime, formatRelative } from "@/lib/format/dates";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { KeyStateCell } from "./key-state-cell";
import { TypeBadge } from "./type-badge";
import Link from "next/link";

const WARNING_LABELS = { expiring_soon: "Expiring soon", idle: "Unused 30+ days", needs_rotation: "Rotation due" } as const;

/** Columns whose header sorts the list, mapped to the URL's sort field; the others cannot sort. */
export const SORTABLE: Record<string, string> = {
  name: "name",
  expiresAt: "expires",
  lastUsedAt: "last_used",
  createdAt: "created",
};

export function buildColumns(nowMs: number, actions?: ColumnDef<KeyListItem>): ColumnDef<KeyListItem>[] {
  const columns: ColumnDef<KeyListItem>[] = [
    {
      accessorKey: "name",
      header: "Name",
      cell: ({ row }) => (
        <div className="min-w-40">
          {row.original.kind === "token" ? (
            <span className="font-medium text-slate-900">
              {row.original.name} <TypeBadge />
            </span>
          ) : (
            <Link href={`/tenant-api-keys/${row.original.id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
              {row.original.name}
            </Link>
          )}
          {row.original.warnings.length > 0 && (
            <div className="mt-0.5 flex flex-wrap gap-1">
              {row.original.warnings.map((w) => (
                <span key={w} className="rounded bg-amber-50 px-1.5 py-0.5 text-[11px] text-amber-800 ring-1 ring-amber-600/20">
                  {WARNING_LABELS[w]}
                </span>
              ))}
            </div>
          )}
          {row.original.description && (
            <div className="max-w-xs truncate text-xs text-slate-500" title={row.original.description}>
              {row.original.description}
            </div>
          )}
        </div>
      ),
    },
    {
      accessorKey: "prefix",
      header: "Key prefix",
      cell: ({ row }) => <code className="font-mono text-xs text-slate-700">{row.original.prefix}…</code>,
    },
    {
      accessorKey: "status",
      header: "Status",
      cell: ({ row }) => <KeyStateCell item={row.original} nowMs={nowMs} />,
    },
    {
      id: "group",
      header: "Authorization group",
      cell: ({ row }) =>
        row.original.kind === "token" ? (
          <div>
            <div>{row.original.group.name || <span className="text-slate-500">No group</span>}</div>
            <div className="font-mono text-xs text-slate-600">{row.original.group.scopes || "no scopes"}</div>
          </div>
        ) : (
          row.original.group.name
        ),
    },
    {
      id: "credits",
      header: "Credits",
      cell: ({ row }) =>
        row.original.kind === "token" ? (
          <span className="text-slate-500">—</span>
        ) : row.original.credits === null ? (
          <span className="text-slate-500">Unlimited</span>
        ) : (
          <span className={row.original.credits === 0 ? "font-medium text-red-700" : ""}>
            {row.original.credits.toLocaleString("en-US")} left
          </span>
        ),
    },
    {
      accessorKey: "expiresAt",
      header: "Expires",
      cell: ({ row }) => {
        const { expiresAt, expiryState } = row.original;
        if (!expiresAt) return <span className="text-slate-500">Never</span>;
        return (
          <div>
            <div className="whitespace-nowrap">{formatDateTime(expiresAt)}</div>
            <div
              className={`text-xs ${
                expiryState === "expired" ? "text-slate-500" : expiryState === "expiring_soon" ? "text-amber-700" : "text-slate-500"
              }`}
            >
              {expiryState === "expiring_soon" ? "Expiring soon · " : ""}
              {formatRelative(expiresAt, nowMs)}
            </div>
          </div>
        );
      },
    },
    {
      accessorKey: "lastUsedAt",
      header: "Last used",
      cell: ({ row }) =>
        row.original.lastUsedAt ? (
          <span title={formatDateTime(row.original.lastUsedAt)}>{formatRelative(row.original.lastUsedAt, nowMs)}</span>
        ) : (
          <span className="text-slate-500">Never used</span>
        ),
    },
    {
      accessorKey: "createdAt",
      header: "Created",
      cell: ({ row }) => <span title={formatDateTime(row.original.createdAt)}>{formatRelative(row.original.createdAt, nowMs)}</span>,
    },
  ];
  const all = actions ? [...columns, actions] : columns;
  return all.map((column) => ({ ...column, enableSorting: columnId(column) in SORTABLE }));
}

const columnId = (column: ColumnDef<KeyListItem>) =>
  column.id ?? ("accessorKey" in column ? String(column.accessorKey) : "");
