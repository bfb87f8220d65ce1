"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { Bot } from "lucide-react";
import { formatDateTime, formatRelative } from "@/lib/format/dates";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { KeyStateCell } from "./key-state-cell";
import { TypeBadge } from "./type-badge";

export const NO_MATCH = "No API keys match these filters.";

export const WARNING_LABELS = { expiring_soon: "Expiring soon", idle: "Unused 30+ days", needs_rotation: "Rotation due" } as const;

/** Columns whose header sorts the list, mapped to the URL's sort field; the others cannot sort. */
export const SORTABLE: Record<string, string> = {
  name: "name",
  expiresAt: "expires",
  lastUsedAt: "last_used",
  createdAt: "created",
};

/** The key's display prefix, as every place in the dashboard shows it. */
export function KeyPrefix({ prefix }: { prefix: string }) {
  return (
    <code data-testid="key-prefix" className="font-mono text-xs text-slate-600">
      {prefix}…
    </code>
  );
}

export function KeyWarnings({ item }: { item: KeyListItem }) {
  if (item.warnings.length === 0) return null;
  return (
    <div className="mt-0.5 flex flex-wrap gap-1">
      {item.warnings.map((w) => (
        <span key={w} className="rounded bg-amber-50 px-1.5 py-0.5 text-[11px] text-amber-800 ring-1 ring-amber-600/20">
          {WARNING_LABELS[w]}
        </span>
      ))}
    </div>
  );
}

/**
 * Who uses the key and where it runs, on one small line under its name: the service account
 * (with a screen-reader label) and the environment as a tag. Nothing for a key with neither.
 */
export function KeyOwners({ item }: { item: KeyListItem }) {
  if (!item.serviceAccount && !item.environment) return null;
  return (
    <div data-testid="key-owners" className="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs text-slate-600">
      {item.serviceAccount && (
        <span className="inline-flex min-w-0 items-center gap-1" title={`Service account: ${item.serviceAccount.name}`}>
          <Bot aria-hidden="true" className="size-3.5 shrink-0 text-slate-400" />
          <span className="sr-only">Service account: </span>
          <span className="truncate">{item.serviceAccount.name}</span>
        </span>
      )}
      {/* A space between the two for screen readers and copied text; the flex gap lays them out. */}
      {item.serviceAccount && item.environment && " "}
      {item.environment && (
        <span className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] text-slate-700" title={`Environment: ${item.environment.name}`}>
          <span className="sr-only">Environment: </span>
          {item.environment.name}
        </span>
      )}
    </div>
  );
}

/** A key's group; a signed token's group with the scopes it carries (a subset of the group's). */
export function GroupText({ item }: { item: KeyListItem }) {
  if (item.kind !== "token") return <>{item.group.name}</>;
  return (
    <div>
      <div>{item.group.name || <span className="text-slate-500">No group</span>}</div>
      <div className="font-mono text-xs text-slate-600">{item.group.scopes || "no scopes"}</div>
    </div>
  );
}

export function ExpiresText({ item, nowMs }: { item: KeyListItem; nowMs: number }) {
  const { expiresAt, expiryState } = item;
  if (!expiresAt) return <span className="text-slate-500">Never</span>;
  return (
    <div>
      <div>{formatDateTime(expiresAt)}</div>
      <div className={`text-xs ${expiryState === "expiring_soon" ? "text-amber-700" : "text-slate-500"}`}>
        {expiryState === "expiring_soon" ? "Expiring soon · " : ""}
        {formatRelative(expiresAt, nowMs)}
      </div>
    </div>
  );
}

export function LastUsedText({ item, nowMs }: { item: KeyListItem; nowMs: number }) {
  return item.lastUsedAt ? (
    <span title={formatDateTime(item.lastUsedAt)}>{formatRelative(item.lastUsedAt, nowMs)}</span>
  ) : (
    <span className="text-slate-500">Never used</span>
  );
}

export function CreditsText({ item }: { item: KeyListItem }) {
  if (item.kind === "token") return <span className="text-slate-500">—</span>;
  return item.credits === null ? (
    <span className="text-slate-500">Unlimited</span>
  ) : (
    <span className={item.credits === 0 ? "font-medium text-red-700" : ""}>{item.credits.toLocaleString("en-US")} left</span>
  );
}

/**
 * The key table's columns, sized to fit a 1280 px laptop beside the sidebar: the prefix and
 * description sit under the name instead of in columns of their own, dates wrap onto two
 * lines, and the actions column (when given) is pinned to the row's end (`meta.className`).
 */
export function buildColumns(nowMs: number, actions?: ColumnDef<KeyListItem>): ColumnDef<KeyListItem>[] {
  const columns: ColumnDef<KeyListItem>[] = [
    {
      accessorKey: "name",
      header: "Name",
      // A name sorts A-Z on the first click; the dates (below) newest first.
      sortDescFirst: false,
      cell: ({ row }) => (
        <div className="min-w-32 max-w-44">
          {row.original.kind === "token" ? (
            <span className="font-medium break-words text-slate-900">
              {row.original.name} <TypeBadge />
            </span>
          ) : (
            <Link
              href={`/tenant-api-keys/${row.original.id}`}
              className="font-medium break-words text-slate-900 hover:text-indigo-700 hover:underline"
            >
              {row.original.name}
            </Link>
          )}
          <div>
            <KeyPrefix prefix={row.original.prefix} />
          </div>
          <KeyOwners item={row.original} />
          <KeyWarnings item={row.original} />
          {row.original.description && (
            <div className="truncate text-xs text-slate-500" title={row.original.description}>
              {row.original.description}
            </div>
          )}
        </div>
      ),
    },
    {
      accessorKey: "status",
      header: "Status",
      cell: ({ row }) => <KeyStateCell item={row.original} nowMs={nowMs} />,
    },
    { id: "group", header: "Authorization group", cell: ({ row }) => <GroupText item={row.original} /> },
    { id: "credits", header: "Credits", cell: ({ row }) => <CreditsText item={row.original} /> },
    {
      accessorKey: "expiresAt",
      header: "Expires",
      sortDescFirst: true,
      cell: ({ row }) => <ExpiresText item={row.original} nowMs={nowMs} />,
    },
    {
      accessorKey: "lastUsedAt",
      header: "Last used",
      sortDescFirst: true,
      cell: ({ row }) => <LastUsedText item={row.original} nowMs={nowMs} />,
    },
    {
      accessorKey: "createdAt",
      header: "Created",
      sortDescFirst: true,
      cell: ({ row }) => <span title={formatDateTime(row.original.createdAt)}>{formatRelative(row.original.createdAt, nowMs)}</span>,
    },
  ];
  const all = actions ? [...columns, actions] : columns;
  return all.map((column) => ({ ...column, enableSorting: columnId(column) in SORTABLE }));
}

const columnId = (column: ColumnDef<KeyListItem>) =>
  column.id ?? ("accessorKey" in column ? String(column.accessorKey) : "");
