"use client";

import { getCoreRowModel, useReactTable, type ColumnDef, type SortingState, type Updater } from "@tanstack/react-table";
import type { ApiKeyListParams } from "@/lib/api-keys/schemas";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { SORTABLE } from "./columns";
import { TableBody } from "@/components/data-table/table-body";
import { TableHead } from "@/components/data-table/table-head";
import { useListParams } from "@/components/data-table/use-list-params";

const COLUMN_OF_SORT = Object.fromEntries(Object.entries(SORTABLE).map(([column, field]) => [field, column]));

/**
 * Sorting, filtering and paging are the server's: the table only renders one page. Its sorting
 * state is TanStack's, read from the URL and written back to it.
 */
export function DataTable({
  columns,
  rows,
  params,
  highlightId = null,
}: {
  columns: ColumnDef<KeyListItem>[];
  rows: KeyListItem[];
  params: ApiKeyListParams;
  /** The row just generated or changed: marked (aria-current) and tinted. */
  highlightId?: string | null;
}) {
  const { update } = useListParams();
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
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <TableHead table={table} />
        <TableBody
          table={table}
          emptyText="No API keys match these filters."
          rowClassName="align-top hover:bg-slate-50/60 aria-[current=true]:bg-indigo-50"
          rowData={(item) => ({ "data-key-id": item.id, ...(item.id === highlightId && { "aria-current": "true" as const }) })}
        />
      </table>
    </div>
  );
}
