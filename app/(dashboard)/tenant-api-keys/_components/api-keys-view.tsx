"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { PAGE_SIZES, type ApiKeyListParams } from "@/lib/api-keys/schemas";
import { Pagination } from "@/components/data-table/pagination";
import { useListPending } from "@/components/data-table/use-list-params";
import { useAutoRefresh } from "@/components/data-table/use-auto-refresh";
import { Button, buttonClass } from "@/components/ui/button";
import { DataTable } from "./data-table";
import { EditKeyDialog } from "./edit-key-dialog";
import { RevokeAllDialog, RevokeKeyDialog, RotateKeyDialog } from "./key-dialogs";
import type { KeyGroupOption } from "./key-form-fields";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { RowActions, type KeyAction } from "./row-actions";
import { FirstKeyEmptyState } from "./first-key-empty-state";
import { SecretDialog, type ShownSecret } from "./secret-dialog";
import { Toolbar } from "./toolbar";
import { WarningsBanner } from "./warnings-banner";

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
  revocableCount,
  nowMs,
  groups,
  permissions,
  warnings,
  rotationPolicyDays,
}: {
  tenantName: string;
  rows: KeyListItem[];
  total: number;
  params: ApiKeyListParams;
  /** `used` counts live keys and the `tokens` (live signed tokens): both take places of the limit. */
  usage: { used: number; limit: number; tokens: number };
  revocableCount: number;
  nowMs: number;
  groups: KeyGroupOption[];
  permissions: ViewPermissions;
  warnings: { expiringSoon: number; idle: number; needsRotation: number };
  rotationPolicyDays: number;
}) {
  const router = useRouter();
  const [active, setActive] = useState<{ action: KeyAction; item: KeyListItem } | null>(null);
  const [revokingAll, setRevokingAll] = useState(false);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // Keys this page revoked: the row says Revoked at once, not only when the refreshed list arrives
  // (a revoke is final, so the mark never goes stale).
  const [revokedIds, setRevokedIds] = useState<ReadonlySet<string>>(new Set());
  const [refreshing, startRefresh] = useTransition();
  const listPending = useListPending();
  useAutoRefresh();
  const shownRows = rows.map((row) => (revokedIds.has(row.id) && row.status !== "revoked" ? { ...row, status: "revoked" as const, warnings: [] } : row));
  const filtered = params.status.length > 0 || params.expiry.length > 0 || !!params.q || !!params.flag;
  const firstKey = total === 0 && !filtered;

  /**
   * After a change: the message lands in the same transition as the refreshed rows, so the list
   * never says Active beside a message saying Revoked (on a slow network the progress bar shows
   * meanwhile).
   */
  function done(message: string | null) {
    setActive(null);
    setRevokingAll(false);
    startRefresh(() => {
      setNotice(message);
      router.refresh();
    });
  }

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
            {usage.tokens > 0 && (
              <span data-testid="key-usage-tokens" className="ml-1 text-xs text-slate-500">
                including {usage.tokens} signed {usage.tokens === 1 ? "token" : "tokens"}
              </span>
            )}
          </p>
        </div>
        <div className="flex items-start gap-3">
          <Link href="/tenant-api-keys/tokens" className={buttonClass("secondary")}>
            Signed tokens
          </Link>
          {permissions.revokeAll === null && (
            <Button variant="secondary-danger" disabled={revocableCount === 0} onClick={() => setRevokingAll(true)}>
              Revoke all keys
            </Button>
          )}
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
      </div>
      {permissions.manage && (
        <p className="rounded-md border border-slate-200 bg-white px-4 py-2 text-sm text-slate-600">{permissions.manage}</p>
      )}
      {notice && (
        <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-2 text-sm text-emerald-800">
          {notice}
        </p>
      )}
      <WarningsBanner warnings={warnings} rotationPolicyDays={rotationPolicyDays} />
      {firstKey ? (
        <FirstKeyEmptyState createDenied={permissions.create} />
      ) : (
        <>
          <Toolbar params={params} />
          <div className="h-1" aria-hidden={!(listPending || refreshing)}>
            {(listPending || refreshing) && (
              <div role="progressbar" aria-label="Loading keys" className="h-1 w-full animate-pulse rounded bg-indigo-500" />
            )}
          </div>
          <DataTable
            rows={shownRows}
            params={params}
            nowMs={nowMs}
            busy={listPending || refreshing}
            renderActions={(item) => (
              <RowActions
                item={item}
                roleDenied={permissions.manage}
                onAction={(action, target) => {
                  setNotice(null);
                  setActive({ action, item: target });
                }}
              />
            )}
          />
          <Pagination page={params.page} pageSize={params.pageSize} total={total} pageSizes={PAGE_SIZES} noun="keys" />
        </>
      )}

      {active?.action === "edit" && (
        <EditKeyDialog
          item={active.item}
          groups={groups}
          onClose={() => setActive(null)}
          onSaved={() => done(`Saved ${active.item.name}.`)}
        />
      )}
      {active?.action === "rotate" && (
        <RotateKeyDialog
          item={active.item}
          onClose={() => setActive(null)}
          onRotated={(next) => {
            setActive(null);
            setShown(next);
          }}
        />
      )}
      {active?.action === "revoke" && (
        <RevokeKeyDialog
          item={active.item}
          onClose={() => setActive(null)}
          onRevoked={() => {
            const id = active.item.id;
            setRevokedIds((ids) => new Set(ids).add(id));
            setNotice(`Revoked ${active.item.name}.`);
            done(`Revoked ${active.item.name}.`);
          }}
        />
      )}
      {revokingAll && (
        <RevokeAllDialog
          tenantName={tenantName}
          activeCount={revocableCount}
          onClose={() => setRevokingAll(false)}
          onRevoked={(count) => done(`Revoked ${count} ${count === 1 ? "key" : "keys"}.`)}
        />
      )}
      <SecretDialog
        shown={shown}
        onClosed={() => {
          const name = shown?.keyName;
          setShown(null);
          done(name ? `Rotated ${name}.` : null);
        }}
      />
    </div>
  );
}
