"use client";

import Link from "next/link";
import { useMemo } from "react";
import type { ApiKeyListParams } from "@/lib/api-keys/schemas";
import { buttonClass } from "@/components/ui/button";
import { buildColumns } from "./columns";
import { DataTable } from "./data-table";
import type { KeyListItem } from "./key-list-item";
import { Pagination } from "./pagination";
import { Toolbar } from "./toolbar";

export type ViewPermissions = {
  /** Why Generate is unavailable (role or limit), or null when it is allowed. */
  create: string | null;
  manage: string | null;
  revokeAll: string | null;
};

export function ApiKeysView({
  tenantName,
  rows,
  total,
  params,
  usage,
  nowMs,
  permissions,
}: {
  tenantName: string;
  rows: KeyListItem[];
  total: number;
  params: ApiKeyListParams;
  usage: { used: number; limit: number };
  nowMs: number;
  permissions: ViewPermissions;
  canManage: boolean;
}) {
  const columns = useMemo(() => buildColumns(nowMs), [nowMs]);

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">Settings → Data & Monitoring</p>
          <h1 className="text-2xl font-semibold">API Keys</h1>
          <p className="mt-1 text-sm text-slate-600">
            Keys that {tenantName}&apos;s integrations send in the <code>X-API-Key</code> header.{" "}
            <span
              data-testid="key-usage"
              className={`ml-1 rounded-full px-2 py-0.5 font-medium ${
                usage.used >= usage.limit ? "bg-red-50 text-red-700" : "bg-slate-100 text-slate-700"
              }`}
            >
              {usage.used}/{usage.limit} keys
            </span>
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          {permissions.create ? (
            <>
              <button type="button" disabled aria-describedby="generate-denied" className={buttonClass("primary")}>
                Generate API Key
              </button>
              <p id="generate-denied" className="max-w-xs text-right text-xs text-slate-500">
                {permissions.create}
              </p>
            </>
          ) : (
            <Link href="/tenant-api-keys/new" className={buttonClass("primary")}>
              Generate API Key
            </Link>
          )}
        </div>
      </div>
      <Toolbar params={params} />
      <DataTable columns={columns} rows={rows} params={params} />
      <Pagination params={params} total={total} />
    </div>
  );
}
