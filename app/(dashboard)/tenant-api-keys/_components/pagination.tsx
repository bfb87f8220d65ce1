"use client";

import { PAGE_SIZES, type ApiKeyListParams } from "@/lib/api-keys/schemas";
import { Button } from "@/components/ui/button";
import { useListParams } from "./use-list-params";

export function Pagination({ params, total }: { params: ApiKeyListParams; total: number }) {
  const { update } = useListParams();
  const pages = Math.max(1, Math.ceil(total / params.pageSize));
  const first = total === 0 ? 0 : (params.page - 1) * params.pageSize + 1;
  const last = Math.min(total, params.page * params.pageSize);

  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p>
        {first}–{last} of {total} keys
      </p>
      <div className="flex items-center gap-3">
        <label className="flex items-center gap-2">
          Rows per page
          <select
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
            value={params.pageSize}
            onChange={(event) => update({ pageSize: event.target.value })}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <span>
          Page {Math.min(params.page, pages)} of {pages}
        </span>
        <Button variant="secondary" disabled={params.page <= 1} onClick={() => update({ page: String(params.page - 1) })}>
          Previous
        </Button>
        <Button
          variant="secondary"
          disabled={params.page >= pages}
          onClick={() => update({ page: String(params.page + 1) })}
        >
          Next
        </Button>
      </div>
    </nav>
  );
}
