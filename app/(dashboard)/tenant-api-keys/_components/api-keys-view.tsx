"use client";

import Link from "next/link";
import { useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { useRouter } from "next/navigation";
import dynamic from "next/dynamic";
import { PAGE_SIZES } from "@/lib/api-keys/constants";
import type { ApiKeyListParams } from "@/lib/api-keys/schemas";
import { Pagination } from "@/components/data-table/pagination";
import { useListPending } from "@/components/data-table/use-list-params";
import { useAutoRefresh } from "@/components/data-table/use-auto-refresh";
import { Button, buttonClass } from "@/components/ui/button";
import { DataTable } from "./data-table";
import { RevokeAllDialog, RevokeKeyDialog, RotateKeyDialog } from "./key-dialogs";
import { DisableKeyDialog, EnableKeyDialog, EndOverlapDialog, RevokeTokenDialog } from "./key-state-dialogs";
import type { KeyGroupOption, KeyOwnerOptions } from "./key-form-fields";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import type { PageGroup } from "@/lib/api-keys/grouped";
import { RowActions, type KeyAction } from "./row-actions";
import { FirstKeyEmptyState } from "./first-key-empty-state";
import { SecretDialog, type ShownSecret } from "./secret-dialog";
import { Toolbar } from "./toolbar";
import { WarningsBanner } from "./warnings-banner";
import { ReadOnlyBanner, type KeyManager } from "./read-only-banner";
import { keyToast } from "@/components/toaster";
import { findInRow, useFocusReturn } from "@/components/use-focus-return";

// The edit form (react-hook-form, zod and the limit fields) loads when a key is first edited:
// it is most of a form library the list itself never needs (first-load JavaScript, issue #16).
const EditKeyDialog = dynamic(() => import("./edit-key-dialog").then((m) => m.EditKeyDialog));

export type ViewPermissions = {
  /** Why Generate is unavailable (role or limit), or null when it is allowed. */
  create: string | null;
  /** True when `create` is the role's refusal (the read-only banner says it), not the limit's. */
  createByRole?: boolean;
  manage: string | null;
  revokeAll: string | null;
};

export function ApiKeysView({
  tenantName,
  rows,
  listGroups = null,
  total,
  params,
  usage,
  revocableCount,
  nowMs,
  groups,
  owners,
  permissions,
  warnings,
  rotationPolicyDays,
  highlightId = null,
  managers = [],
}: {
  tenantName: string;
  rows: KeyListItem[];
  /** With ?groupBy=: the page's groups, in order, with their counts (lib/api-keys/grouped.ts). */
  listGroups?: PageGroup[] | null;
  total: number;
  params: ApiKeyListParams;
  /** `used` counts live keys and the `tokens` (live signed tokens): both take places of the limit. */
  usage: { used: number; limit: number; tokens: number };
  revocableCount: number;
  nowMs: number;
  groups: KeyGroupOption[];
  /** The tenant's service accounts and environments: the toolbar's filters and the edit dialog's selects. */
  owners: KeyOwnerOptions;
  permissions: ViewPermissions;
  warnings: { expiringSoon: number; idle: number; needsRotation: number };
  rotationPolicyDays: number;
  /** The key just generated (?highlight=<id> from the Generate page): its row is marked. */
  highlightId?: string | null;
  /** The tenant's owners and admins, named by the read-only banner. */
  managers?: KeyManager[];
}) {
  const router = useRouter();
  const [active, setActive] = useState<{ action: KeyAction; item: KeyListItem } | null>(null);
  const [revokingAll, setRevokingAll] = useState(false);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  // The row changed last (edited, rotated, revoked here, or generated on /new): highlighted.
  const [changed, setChanged] = useState<string | null>(null);
  const highlight = changed ?? highlightId;
  const focus = useFocusReturn(rows);
  const revokeAllButton = useRef<HTMLButtonElement>(null);

  // Keys this page revoked: the row says Revoked at once, not only when the refreshed list arrives
  // (a revoke is final, so the mark never goes stale).
  const [revokedIds, setRevokedIds] = useState<ReadonlySet<string>>(new Set());
  const [refreshing, startRefresh] = useTransition();
  const listPending = useListPending();
  useAutoRefresh();
  const shownRows = rows.map((row) => (revokedIds.has(row.id) && row.status !== "revoked" ? { ...row, status: "revoked" as const, warnings: [] } : row));
  const filtered =
    params.status.length > 0 || params.kind.length > 0 || params.expiry.length > 0 || !!params.q || !!params.flag || !!params.serviceAccount || !!params.environment;
  const firstKey = total === 0 && !filtered;

  /** Closes the open dialog; focus goes back to its row's `action` button (or the row's link). */
  function close(action: string, keyId: string) {
    focus.returnTo(findInRow(keyId, action));
    setActive(null);
  }

  /** After a change: the row is highlighted, and the list refreshes (the progress bar shows meanwhile). */
  function changedKey(keyId: string) {
    setChanged(keyId);
    startRefresh(() => router.refresh());
  }

  /** A state change from a row (disable, enable, end overlap, revoke a token): toast, focus, row. */
  function stateChanged(message: string, keyId: string, opener: string) {
    toast.success(message);
    close(opener, keyId);
    changedKey(keyId);
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
              <span
                data-testid="key-usage-tokens"
                className="ml-1 text-xs text-slate-500"
                title="An active signed token takes a place of the key limit, beside the keys, until it expires or is revoked."
              >
                including {usage.tokens} signed {usage.tokens === 1 ? "token" : "tokens"}
              </span>
            )}
          </p>
        </div>
        <div className="flex items-start gap-3">
          <Link href="/tenant-api-keys/new?type=token" className={buttonClass("secondary")}>
            Generate JWT
          </Link>
          {permissions.revokeAll === null && (
            <Button
              ref={revokeAllButton}
              variant="secondary-danger"
              disabled={revocableCount === 0}
              onClick={() => setRevokingAll(true)}
            >
              Revoke all keys
            </Button>
          )}
          <div className="flex flex-col items-end gap-1">
            {permissions.create ? (
              <>
                <button
                  type="button"
                  disabled
                  aria-describedby={permissions.createByRole ? "read-only-banner" : "generate-denied"}
                  className={buttonClass("primary")}
                >
                  Generate API Key
                </button>
                {!permissions.createByRole && (
                  <p id="generate-denied" className="max-w-xs text-right text-xs text-slate-500">
                    {permissions.create}
                  </p>
                )}
              </>
            ) : (
              <Link href="/tenant-api-keys/new" className={buttonClass("primary")}>
                Generate API Key
              </Link>
            )}
          </div>
        </div>
      </div>
      {permissions.manage && <ReadOnlyBanner reason={permissions.manage} managers={managers} />}
      <WarningsBanner warnings={warnings} rotationPolicyDays={rotationPolicyDays} />
      {firstKey ? (
        <FirstKeyEmptyState createDenied={permissions.create} />
      ) : (
        <>
          <Toolbar params={params} owners={owners} />
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
            highlightId={highlight}
            groups={listGroups}
            renderActions={(item) => (
              <RowActions item={item} roleDenied={permissions.manage} onAction={(action, target) => setActive({ action, item: target })} />
            )}
          />
          <Pagination page={params.page} pageSize={params.pageSize} total={total} pageSizes={PAGE_SIZES} noun="keys" />
        </>
      )}

      {active?.action === "edit" && (
        <EditKeyDialog
          item={active.item}
          groups={groups}
          owners={owners}
          onCloseAutoFocus={focus.onCloseAutoFocus}
          onClose={() => close("Edit", active.item.id)}
          onSaved={(key) => {
            // The name as saved, not as it was when the dialog opened.
            keyToast("Saved", key);
            close("Edit", key.id);
            changedKey(key.id);
          }}
        />
      )}
      {active?.action === "rotate" && (
        <RotateKeyDialog
          item={active.item}
          onCloseAutoFocus={focus.onCloseAutoFocus}
          onClose={() => close("Rotate", active.item.id)}
          onRotated={(next) => {
            setActive(null);
            setShown({ ...next, keyId: active.item.id });
          }}
        />
      )}
      {active?.action === "revoke" && (
        <RevokeKeyDialog
          item={active.item}
          onCloseAutoFocus={focus.onCloseAutoFocus}
          onClose={() => close("Revoke", active.item.id)}
          onRevoked={(key) => {
            setRevokedIds((ids) => new Set(ids).add(key.id));
            keyToast("Revoked", key);
            // The Revoke button is gone once the row says Revoked: focus goes to the row's link.
            close("Revoke", key.id);
            changedKey(key.id);
          }}
        />
      )}
      {active?.action === "disable" && (
        <DisableKeyDialog item={active.item} onClose={() => close("Disable", active.item.id)} onDone={(m) => stateChanged(m, active.item.id, "Re-enable")} />
      )}
      {active?.action === "enable" && (
        <EnableKeyDialog item={active.item} onClose={() => close("Re-enable", active.item.id)} onDone={(m) => stateChanged(m, active.item.id, "Disable")} />
      )}
      {active?.action === "end_overlap" && (
        <EndOverlapDialog item={active.item} onClose={() => close("End", active.item.id)} onDone={(m) => stateChanged(m, active.item.id, "Rotate")} />
      )}
      {active?.action === "revoke_token" && (
        <RevokeTokenDialog item={active.item} onClose={() => close("Revoke", active.item.id)} onDone={(m) => stateChanged(m, active.item.id, "Revoke")} />
      )}
      {revokingAll && (
        <RevokeAllDialog
          tenantName={tenantName}
          activeCount={revocableCount}
          onCloseAutoFocus={focus.onCloseAutoFocus}
          onClose={() => {
            focus.returnTo(() => revokeAllButton.current);
            setRevokingAll(false);
          }}
          onRevoked={(count) => {
            toast.success(`Revoked ${count} ${count === 1 ? "key" : "keys"}.`);
            // Nothing left to revoke disables the button: focus goes to the first row's link then.
            focus.returnTo(() =>
              revokeAllButton.current?.disabled ? document.querySelector<HTMLElement>("[data-key-id] a[href]") : revokeAllButton.current,
            );
            setRevokingAll(false);
            router.refresh();
          }}
        />
      )}
      <SecretDialog
        shown={shown}
        onCloseAutoFocus={focus.onCloseAutoFocus}
        onClosed={() => {
          if (shown) {
            keyToast("Rotated", { name: shown.keyName, prefix: shown.prefix });
            if (shown.keyId) {
              focus.returnTo(findInRow(shown.keyId, "Rotate"));
              changedKey(shown.keyId);
            }
          }
          setShown(null);
        }}
      />
    </div>
  );
}
