"use client";

import { Fragment, type ReactNode } from "react";
import { flexRender, type Table } from "@tanstack/react-table";
import "./column-meta";

/** The body of a server-paged table: one page of rows, or a single row saying none matched. */
export function TableBody<T>({
  table,
  emptyText,
  rowClassName = "align-top",
  rowData,
  groupHeader,
}: {
  table: Table<T>;
  emptyText: ReactNode;
  rowClassName?: string;
  /** A data-* attribute for each row, e.g. the key id for tests and scripts; aria-current marks one. */
  rowData?: (row: T) => Record<`data-${string}`, string> & { "aria-current"?: "true" };
  /**
   * A grouped list (server-ordered by group): the header to show above this row, or null when it
   * is in the previous row's group. A header row spans the table, so it is ours, not a column's.
   */
  groupHeader?: (row: T, previous: T | undefined) => ReactNode | null;
}) {
  const rows = table.getRowModel().rows;
  return (
    <tbody className="divide-y divide-slate-100">
      {rows.length === 0 ? (
        <tr>
          <td colSpan={table.getVisibleLeafColumns().length} className="px-4 py-10 text-center text-slate-500">
            {emptyText}
          </td>
        </tr>
      ) : (
        rows.map((row, i) => {
          const header = groupHeader?.(row.original, rows[i - 1]?.original);
          return (
            <Fragment key={row.id}>
              {header && (
                <tr data-group-header="" className="bg-slate-50">
                  <th scope="colgroup" colSpan={table.getVisibleLeafColumns().length} className="px-3 py-2 text-left text-sm font-semibold text-slate-700">
                    {header}
                  </th>
                </tr>
              )}
              <tr className={rowClassName} {...rowData?.(row.original)}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`px-3 py-3 ${cell.column.columnDef.meta?.className ?? ""}`}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            </Fragment>
          );
        })
      )}
    </tbody>
  );
}
