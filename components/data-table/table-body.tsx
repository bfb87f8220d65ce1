"use client";

import type { ReactNode } from "react";
import { flexRender, type Table } from "@tanstack/react-table";
import "./column-meta";

/** The body of a server-paged table: one page of rows, or a single row saying none matched. */
export function TableBody<T>({
  table,
  emptyText,
  rowClassName = "align-top",
  rowData,
}: {
  table: Table<T>;
  emptyText: ReactNode;
  rowClassName?: string;
  /** A data-* attribute for each row, e.g. the key id for tests and scripts; aria-current marks one. */
  rowData?: (row: T) => Record<`data-${string}`, string> & { "aria-current"?: "true" };
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
        rows.map((row) => (
          <tr key={row.id} className={rowClassName} {...rowData?.(row.original)}>
            {row.getVisibleCells().map((cell) => (
              <td key={cell.id} className={`px-3 py-3 ${cell.column.columnDef.meta?.className ?? ""}`}>
                {flexRender(cell.column.columnDef.cell, cell.getContext())}
              </td>
            ))}
          </tr>
        ))
      )}
    </tbody>
  );
}
