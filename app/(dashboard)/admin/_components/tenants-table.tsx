"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { formatRelative } from "@/lib/format/dates";
import { switchTenant } from "../../actions";
import type { TenantOverviewRow as TenantRow } from "@/lib/tenants/queries";
import { setTenantKeyLimitAction } from "../actions";

function LimitForm({ row }: { row: TenantRow }) {
  const router = useRouter();
  const [value, setValue] = useState(String(row.keyLimit));
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const below = value.trim() !== "" && Number(value) < row.used;

  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        startTransition(async () => {
          const result = await setTenantKeyLimitAction(row.id, { keyLimit: value });
          if (!result.ok) {
            setMessage({ error: true, text: result.error.fieldErrors?.keyLimit?.[0] ?? result.error.message });
            return;
          }
          setMessage({
            error: false,
            text:
              result.value.used > result.value.keyLimit
                ? `Saved. ${row.name} has ${result.value.used} keys, over the new limit: no new keys until some are revoked.`
                : "Saved.",
          });
          router.refresh();
        });
      }}
    >
      <label className="sr-only" htmlFor={`limit-${row.id}`}>
        Key limit of {row.name}
      </label>
      <input
        id={`limit-${row.id}`}
        type="number"
        min={0}
        className="w-24 rounded-md border border-slate-300 px-2 py-1 text-sm"
        value={value}
        onChange={(event) => setValue(event.target.value)}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        Save limit
      </Button>
      {below && !message && (
        <span className="text-xs text-amber-700">Below the {row.used} keys in use: new keys will be blocked.</span>
      )}
      {message && (
        <span role={message.error ? "alert" : "status"} className={`text-xs ${message.error ? "text-red-700" : "text-emerald-700"}`}>
          {message.text}
        </span>
      )}
    </form>
  );
}

export function TenantsTable({ rows, nowMs }: { rows: TenantRow[]; nowMs: number }) {
  const router = useRouter();
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            {["Tenant", "Keys", "Members", "Last activity", "Key limit", ""].map((h, i) => (
              <th key={i} scope="col" className="px-4 py-2.5 text-left font-semibold text-slate-700">
                {h || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-tenant={row.name}>
              <td className="px-4 py-3 font-medium">{row.name}</td>
              <td className={`px-4 py-3 ${row.used >= row.keyLimit ? "text-red-700" : ""}`}>
                {row.used}/{row.keyLimit} keys
              </td>
              <td className="px-4 py-3">{row.members}</td>
              <td className="px-4 py-3">{row.lastActivity ? formatRelative(row.lastActivity, nowMs) : "—"}</td>
              <td className="px-4 py-3">
                <LimitForm row={row} />
              </td>
              <td className="px-4 py-3">
                <Button
                  variant="ghost"
                  onClick={async () => {
                    if ((await switchTenant(row.id)).ok) {
                      router.push("/tenant-api-keys");
                      router.refresh();
                    }
                  }}
                >
                  View {row.name}&apos;s keys
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
