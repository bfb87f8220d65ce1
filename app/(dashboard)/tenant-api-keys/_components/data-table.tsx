"use client";

import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import type { ApiKeyListParams } from "@/lib/api-keys/schemas";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { SORTABLE } from "./columns";
import { TableBody } from "@/components/data-table/table-body";
import { useListParams } from "@/components/data-table/use-list-params";

/** Sorting, filtering and paging are the server's: the table only renders one page. */
export function DataTable({
  columns,
  rows,
  params,
}: {
  columns: ColumnDef<KeyListItem>[];
  rows: KeyListItem[];
  params: ApiKeyListParams;
}) {
  const { update } = useListParams();
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualFiltering: true,
    manualPagination: true,
    getRowId: (row) => row.id,
  });

  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sortField = SORTABLE[header.column.id];
                const active = sortField && params.sort === sortField;
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={active ? (params.order === "asc" ? "ascending" : "descending") : undefined}
                    className="px-4 py-2.5 text-left font-semibold whitespace-nowrap text-slate-700"
                  >
                    {sortField ? (
                      <button
                        type="button"
                        className="inline-flex items-center gap-1 hover:text-indigo-700"
                        onClick={() =>
                          update({ sort: sortField, order: active && params.order === "desc" ? "asc" : "desc" })
                        }
                      >
                        {label}
                        <span aria-hidden="true" className="text-xs text-slate-400">
                          {active ? (params.order === "asc" ? "▲" : "▼") : "↕"}
                        </span>
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <TableBody
          table={table}
          emptyText="No API keys match these filters."
          rowClassName="align-top hover:bg-slate-50/60"
          rowData={(item) => ({ "data-key-id": item.id })}
        />
      </table>
    </div>
  );
}
