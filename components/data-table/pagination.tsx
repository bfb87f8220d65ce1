"use client";

import { Button } from "@/components/ui/button";
import { useListParams } from "./use-list-params";

/** Server-side paging controls; page and page size live in the URL. */
export function Pagination({
  page,
  pageSize,
  total,
  pageSizes,
  noun,
}: {
  page: number;
  pageSize: number;
  total: number;
  pageSizes: readonly number[];
  noun: string;
}) {
  const { update } = useListParams();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);

  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p>
        {first}–{last} of {total} {noun}
      </p>
      <div className="flex items-center gap-3">
        <label className="flex items-center gap-2">
          Rows per page
          <select
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
            value={pageSize}
            onChange={(event) => update({ pageSize: event.target.value })}
          >
            {pageSizes.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <span>
          Page {Math.min(page, pages)} of {pages}
        </span>
        <Button variant="secondary" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
          Previous
        </Button>
        <Button variant="secondary" disabled={page >= pages} onClick={() => update({ page: String(page + 1) })}>
          Next
        </Button>
      </div>
    </nav>
  );
}
