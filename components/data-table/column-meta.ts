import type { RowData } from "@tanstack/react-table";

declare module "@tanstack/react-table" {
  // TanStack's own hook for per-column data: classes for a column's <th> and <td> (e.g. pinning
  // the actions column to the row's end).
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    className?: string;
  }
}
