"use client";

import type { ReactNode } from "react";
import { getCoreRowModel, useReactTable, type ColumnDef, type SortingState, type Updater } from "@tanstack/react-table";
import type { ApiKeyListParams } from "@/lib/api-keys/schemas";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { buildColumns, NO_MATCH, SORTABLE } from "./columns";
import { KeyCards } from "./key-cards";
import { groupHeaders } from "./group-header";
import type { PageGroup } from "@/lib/api-keys/grouped";
import { TableBody } from "@/components/data-table/table-body";
import { TableHead } from "@/components/data-table/table-head";
import { useListParams } from "@/components/data-table/use-list-params";

const COLUMN_OF_SORT = Object.fromEntries(Object.entries(SORTABLE).map(([column, field]) => [field, column]));


/**
 * Sorting, filtering and paging are the server's: the table only renders one page. Its sorting
 * state is TanStack's, read from the URL and written back to it. Below 768 px the same rows are
 * cards (KeyCards): a phone has no room for eight columns.
 */
export function DataTable({
  rows,
  params,
  highlightId = null,
  nowMs,
  renderActions,
  busy,
  groups = null,
}: {
  rows: KeyListItem[];
  /** The grouped view's groups on this page (params.groupBy), null otherwise. */
  groups?: PageGroup[] | null;
  params: ApiKeyListParams;
  /** The row just generated or changed: marked (aria-current) and tinted. */
  highlightId?: string | null;
  nowMs: number;
  renderActions: (item: KeyListItem) => ReactNode;
  /** A newer page is on its way: the rows shown are about to change. */
  busy: boolean;
}) {
  const { update } = useListParams();
  const groupHeader = groupHeaders(params.groupBy, groups);
  const actions: ColumnDef<KeyListItem> = {
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    cell: ({ row }) => renderActions(row.original),
    // Pinned to the row's end: the actions stay on screen even when a narrow window scrolls the table.
    meta: { className: "sticky right-0 w-0 bg-white shadow-[-8px_0_8px_-8px_rgb(0_0_0/0.15)]" },
  };
  const columns = buildColumns(nowMs, actions);
  const sorting: SortingState = COLUMN_OF_SORT[params.sort] ? [{ id: COLUMN_OF_SORT[params.sort], desc: params.order === "desc" }] : [];
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualFiltering: true,
    manualPagination: true,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const [next] = typeof updater === "function" ? updater(sorting) : updater;
      if (next && SORTABLE[next.id]) update({ sort: SORTABLE[next.id], order: next.desc ? "desc" : "asc" });
    },
    getRowId: (row) => row.id,
  });

  return (
    <div aria-busy={busy} className={busy ? "opacity-60 transition-opacity" : "transition-opacity"}>
      {/* With no rows, the table (and its one "no match" row) shows on a phone too. */}
      <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white ${rows.length > 0 ? "hidden md:block" : ""}`}>
        <table className="w-full divide-y divide-slate-200 text-sm">
          <TableHead table={table} />
          <TableBody
            table={table}
            emptyText={NO_MATCH}
            rowClassName="align-top hover:bg-slate-50/60 aria-[current=true]:bg-indigo-50"
            rowData={(item) => ({ "data-key-id": item.id, ...(item.id === highlightId && { "aria-current": "true" as const }) })}
            groupHeader={groupHeader}
          />
        </table>
      </div>
      <KeyCards className="md:hidden" rows={rows} nowMs={nowMs} renderActions={renderActions} groupHeader={groupHeader} />
    </div>
  );
}
