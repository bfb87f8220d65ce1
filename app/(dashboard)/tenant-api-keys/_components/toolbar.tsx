"use client";

import { useEffect, useState } from "react";
import type { ApiKeyListParams } from "@/lib/api-keys/schemas";
import { Button } from "@/components/ui/button";
import { FacetedFilter } from "./faceted-filter";
import { useListParams } from "@/components/data-table/use-list-params";

const STATUS_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "disabled", label: "Disabled" },
  { value: "revoked", label: "Revoked" },
] as const;

const KIND_OPTIONS = [
  { value: "key", label: "API key" },
  { value: "token", label: "JWT" },
] as const;

const EXPIRY_OPTIONS = [
  { value: "valid", label: "Valid" },
  { value: "expiring_soon", label: "Expiring Soon" },
  { value: "expired", label: "Expired" },
] as const;

export function Toolbar({ params }: { params: ApiKeyListParams }) {
  const { update, pending } = useListParams();
  const [query, setQuery] = useState(params.q ?? "");

  // Search as the user types, once they pause.
  useEffect(() => {
    if ((params.q ?? "") === query.trim()) return;
    const timer = setTimeout(() => update({ q: query.trim() || null }), 300);
    return () => clearTimeout(timer);
  }, [query, params.q, update]);

  const filtered = params.status.length > 0 || params.kind.length > 0 || params.expiry.length > 0 || !!params.q || !!params.flag;
  const setFilter = (param: string, value: string | null) => update({ [param]: value });

  return (
    <div className="flex flex-wrap items-center gap-3" aria-busy={pending}>
      <input
        type="search"
        aria-label="Search by name"
        placeholder="Search by name…"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        className="w-64 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm"
      />
      <FacetedFilter legend="Type" param="kind" options={KIND_OPTIONS} selected={params.kind} onChange={setFilter} />
      <FacetedFilter legend="Status" param="status" options={STATUS_OPTIONS} selected={params.status} onChange={setFilter} />
      <FacetedFilter
        legend="Expiration"
        param="expiry"
        options={EXPIRY_OPTIONS}
        selected={params.expiry}
        onChange={setFilter}
      />
      {params.flag && (
        <span className="rounded-full bg-amber-50 px-3 py-1 text-sm text-amber-800 ring-1 ring-amber-600/20">
          {params.flag === "idle" ? "Unused 30+ days" : "Rotation due"}
        </span>
      )}
      {filtered && (
        <Button
          variant="ghost"
          onClick={() => {
            setQuery("");
            update({ status: null, kind: null, expiry: null, q: null, flag: null });
          }}
        >
          Reset filters
        </Button>
      )}
    </div>
  );
}
