"use client";

import { useEffect, useId, useOptimistic, useState } from "react";
import type { ApiKeyListParams } from "@/lib/api-keys/schemas";
import { Button } from "@/components/ui/button";
import { FacetedFilter } from "./faceted-filter";
import { useListParams } from "@/components/data-table/use-list-params";
import { searchTerm } from "@/lib/api-keys/search";
import type { KeyOwnerOptions } from "./key-form-fields";

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

type Filters = Pick<ApiKeyListParams, "status" | "kind" | "expiry" | "serviceAccount" | "environment">;

export function Toolbar({ params, owners }: { params: ApiKeyListParams; owners: KeyOwnerOptions }) {
  const { update } = useListParams();
  const [query, setQuery] = useState(params.q ?? "");
  // The boxes tick the moment they are clicked; the list follows when the server answers.
  const [filters, setOptimisticFilters] = useOptimistic<Filters, Partial<Filters>>(
    { status: params.status, kind: params.kind, expiry: params.expiry, serviceAccount: params.serviceAccount, environment: params.environment },
    (current, patch) => ({ ...current, ...patch }),
  );

  // Search as the user types, once they pause.
  useEffect(() => {
    const text = searchTerm(query);
    if ((params.q ?? "") === text) return;
    const timer = setTimeout(() => update({ q: text || null }), 300);
    return () => clearTimeout(timer);
  }, [query, params.q, update]);

  const filtered =
    filters.status.length > 0 ||
    filters.kind.length > 0 ||
    filters.expiry.length > 0 ||
    !!filters.serviceAccount ||
    !!filters.environment ||
    !!params.q ||
    !!params.flag;
  const setFilter = (param: "status" | "kind" | "expiry", values: string[]) =>
    update({ [param]: values.length ? values.join(",") : null }, () => setOptimisticFilters({ [param]: values }));
  const setOwnerFilter = (param: "serviceAccount" | "environment", value: string) =>
    update({ [param]: value || null }, () => setOptimisticFilters({ [param]: value || undefined }));

  return (
    <div className="flex flex-wrap items-center gap-3">
      <input
        type="search"
        aria-label="Search keys"
        placeholder="Search name, prefix or description…"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm sm:w-72"
      />
      <FacetedFilter legend="Type" options={KIND_OPTIONS} selected={filters.kind} onChange={(v) => setFilter("kind", v)} />
      <FacetedFilter legend="Status" options={STATUS_OPTIONS} selected={filters.status} onChange={(v) => setFilter("status", v)} />
      <FacetedFilter legend="Expiration" options={EXPIRY_OPTIONS} selected={filters.expiry} onChange={(v) => setFilter("expiry", v)} />
      {/* Offered once the tenant has any (or the URL already filters): no select of only "All". */}
      {(owners.serviceAccounts.length > 0 || filters.serviceAccount) && (
        <OwnerFilter
          label="Service account"
          options={owners.serviceAccounts}
          withNone
          value={filters.serviceAccount}
          onChange={(v) => setOwnerFilter("serviceAccount", v)}
        />
      )}
      {(owners.environments.length > 0 || filters.environment) && (
        <OwnerFilter label="Environment" options={owners.environments} value={filters.environment} onChange={(v) => setOwnerFilter("environment", v)} />
      )}
      <GroupBySelect value={params.groupBy} onChange={(v) => update({ groupBy: v || null })} />
      {params.groupBy && (
        <span data-testid="grouped-keys-only" className="text-xs text-slate-500">
          API keys only: signed tokens have no {params.groupBy === "environment" ? "environment" : "service account"}.
        </span>
      )}
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
            update({ status: null, kind: null, expiry: null, q: null, flag: null, serviceAccount: null, environment: null }, () =>
              setOptimisticFilters({ status: [], kind: [], expiry: [], serviceAccount: undefined, environment: undefined }),
            );
          }}
        >
          Reset filters
        </Button>
      )}
    </div>
  );
}

/**
 * One service account or environment, "none" for keys without a service account, or all: the
 * ids the key query reads from ?serviceAccount= and ?environment= (lib/api-keys/queries.ts
 * listWhere). Every key has an environment, so that filter offers no "None".
 */
function OwnerFilter({
  label,
  options,
  withNone = false,
  value,
  onChange,
}: {
  label: string;
  options: { id: string; name: string }[];
  withNone?: boolean;
  value: string | undefined;
  onChange: (value: string) => void;
}) {
  // An id from the URL that is not (or no longer) the tenant's lists nothing; it stays selectable.
  const unknown = value && !(withNone && value === "none") && !options.some((o) => o.id === value);
  const id = useId();
  return (
    <div className="inline-flex items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-1.5 text-sm">
      <label htmlFor={id} className="font-medium text-slate-600">
        {label}
      </label>
      <select id={id} value={value ?? ""} onChange={(event) => onChange(event.target.value)} className="bg-transparent text-sm text-slate-900">
        <option value="">All</option>
        {withNone && <option value="none">None</option>}
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
        {unknown && <option value={value}>Unknown</option>}
      </select>
    </div>
  );
}

/** The list's "Group by" (?groupBy=, lib/api-keys/grouped.ts): not a filter, so Reset filters keeps it. */
function GroupBySelect({ value, onChange }: { value: ApiKeyListParams["groupBy"]; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="inline-flex items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-1.5 text-sm">
      <label htmlFor={id} className="font-medium text-slate-600">
        Group by
      </label>
      <select id={id} value={value ?? ""} onChange={(event) => onChange(event.target.value)} className="bg-transparent text-sm text-slate-900">
        <option value="">None</option>
        <option value="environment">Environment</option>
        <option value="serviceAccount">Service account</option>
      </select>
    </div>
  );
}
