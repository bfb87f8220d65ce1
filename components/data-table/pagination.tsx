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
  // A page past the end (an old link, ?page=99) shows as the last one, as the server serves it.
  const current = Math.min(page, pages);
  const first = total === 0 ? 0 : (current - 1) * pageSize + 1;
  const last = Math.min(total, current * pageSize);

  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      {/* Nothing to count from: "0–0 of 0 events" read as a broken range. */}
      <p>{total === 0 ? `No ${noun}` : `${first}–${last} of ${total} ${noun}`}</p>
      <div className="flex flex-wrap items-center gap-3">
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
          Page {current} of {pages}
        </span>
        <Button variant="secondary" disabled={current <= 1} onClick={() => update({ page: String(current - 1) })}>
          Previous
        </Button>
        <Button variant="secondary" disabled={current >= pages} onClick={() => update({ page: String(current + 1) })}>
          Next
        </Button>
      </div>
    </nav>
  );
}
