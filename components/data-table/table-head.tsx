"use client";

import { flexRender, type Table } from "@tanstack/react-table";
import "./column-meta";

/**
 * A table's head, read from TanStack Table's own column state (shadcn's data-table column
 * header): a column that can sort (`getCanSort`) is a button showing `getIsSorted`, and a click
 * goes through `toggleSorting`, so the table's `onSortingChange` decides what sorting means
 * (the key list puts it in the URL).
 */
export function TableHead<T>({ table }: { table: Table<T> }) {
  return (
    <thead className="bg-slate-50">
      {table.getHeaderGroups().map((group) => (
        <tr key={group.id}>
          {group.headers.map((header) => {
            const label = flexRender(header.column.columnDef.header, header.getContext());
            const sorted = header.column.getIsSorted();
            const canSort = header.column.getCanSort();
            return (
              <th
                key={header.id}
                scope="col"
                aria-sort={sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}
                className={`px-3 py-2.5 text-left font-semibold text-slate-700 ${canSort ? "whitespace-nowrap" : ""} ${
                  header.column.columnDef.meta?.className ?? ""
                }`}
              >
                {canSort ? (
                  <button
                    type="button"
                    className="inline-flex items-center gap-1 hover:text-indigo-700"
                    // The first click sorts in the column's own first direction (`sortDescFirst`:
                    // A-Z for a name, newest first for a date); the next click reverses it.
                    onClick={() => header.column.toggleSorting(sorted ? sorted === "asc" : header.column.getFirstSortDir() === "desc")}
                  >
                    {label}
                    <span aria-hidden="true" className="text-xs text-slate-500">
                      {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
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
  );
}
