"use client";

import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { SELECT_CLASS, Input, Label, FieldError } from "@/components/ui/field";
import { ROTATION_OVERLAPS } from "@/lib/api-keys/constants";
import { formatDateTime } from "@/lib/format/dates";
import { revokeAllApiKeysAction, revokeApiKeyAction, rotateApiKeyAction } from "../actions";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import type { ShownSecret } from "./secret-dialog";
import type { ApiKeyRow } from "@/lib/api-keys/row";

/** Set by the command bar: its audit events say the change came from the assistant. */
type Via = { via?: "assistant"; onCloseAutoFocus?: (event: Event) => void };

/** The key a dialog acts on; the prefix and last use say which one it is. */
type DialogKey = Pick<KeyListItem, "id" | "name" | "prefix"> & { lastUsedAt?: string | null; version?: number };

/** "kw_AbCd1234…, last used 2026-12-01 10:00 UTC": which key, in the dialog's own words. */
function KeyFacts({ item }: { item: DialogKey }) {
  return (
    <dl className="mt-3 grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1 rounded-md bg-slate-50 px-3 py-2 text-sm" data-testid="dialog-key-facts">
      <dt className="text-slate-500">Key prefix</dt>
      <dd>
        <code className="font-mono text-xs">{item.prefix}…</code>
      </dd>
      {item.lastUsedAt !== undefined && (
        <>
          <dt className="text-slate-500">Last used</dt>
          <dd>{item.lastUsedAt ? formatDateTime(item.lastUsedAt) : "Never used"}</dd>
        </>
      )}
    </dl>
  );
}

export function RotateKeyDialog({
  item,
  onClose,
  onRotated,
  initialOverlap = "none",
  via,
  onCloseAutoFocus,
}: {
  item: DialogKey & { rotatingUntil?: string | null; previousSecret?: KeyListItem["previousSecret"] };
  onClose: () => void;
  onRotated: (shown: ShownSecret) => void;
  initialOverlap?: string;
} & Via) {
  const [overlap, setOverlap] = useState<string>(initialOverlap);
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Rotate API Key"
      variant="primary"
      onCloseAutoFocus={onCloseAutoFocus}
      confirmLabel="Rotate"
      description={
        <>
          Rotating <strong>{item.name}</strong> issues a new secret with the same name, authorization group and
          configuration. All applications using the current secret will lose access
          {overlap === "none" ? " immediately" : " when the overlap window ends"}. This cannot be undone.
        </>
      }
      onConfirm={async () => {
        const result = await rotateApiKeyAction(item.id, { overlap }, item.version, via);
        if (!result.ok) return result.error.message;
        onRotated({
          secret: result.value.secret,
          keyName: result.value.key.name,
          prefix: result.value.key.prefix,
          kind: "rotated",
          previousValidUntil: result.value.previousValidUntil,
        });
        return null;
      }}
    >
      <KeyFacts item={item} />
      <Label htmlFor="rotate-overlap" className="mt-3">When should the current secret stop working?</Label>
      <select id="rotate-overlap" className={SELECT_CLASS} value={overlap} onChange={(e) => setOverlap(e.target.value)}>
        {ROTATION_OVERLAPS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <p className="mt-1 text-xs text-slate-500">
        An overlap window lets you deploy the new secret before the old one stops working (at most 7 days).
      </p>
      {item.rotatingUntil && <OverlapRunningWarning until={item.rotatingUntil} prefix={item.previousSecret?.prefix ?? null} />}
    </ConfirmDialog>
  );
}

export function RevokeKeyDialog({
  item,
  onClose,
  onRevoked,
  via,
  onCloseAutoFocus,
}: { item: DialogKey; onClose: () => void; onRevoked: (key: ApiKeyRow) => void } & Via) {
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Revoke API Key"
      confirmLabel="Revoke"
      onCloseAutoFocus={onCloseAutoFocus}
      description={`Are you sure you want to revoke the API key ${item.name}? This action cannot be undone and any applications using this key will lose access immediately.`}
      onConfirm={async () => {
        const result = await revokeApiKeyAction(item.id, via);
        if (!result.ok) return result.error.message;
        onRevoked(result.value);
        return null;
      }}
    >
      <KeyFacts item={item} />
    </ConfirmDialog>
  );
}

export function RevokeAllDialog({
  tenantName,
  activeCount,
  onClose,
  onRevoked,
  via,
  onCloseAutoFocus,
}: {
  tenantName: string;
  activeCount: number;
  onClose: () => void;
  onRevoked: (count: number) => void;
} & Via) {
  const [typed, setTyped] = useState("");
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Revoke all API keys"
      confirmLabel="Revoke all keys"
      onCloseAutoFocus={onCloseAutoFocus}
      confirmDisabled={typed.trim() !== tenantName}
      description={
        <>
          Every key of {tenantName} that is not yet revoked ({activeCount} in all, expired ones included) will be
          revoked at once. Every application using any of them will lose access immediately. This cannot be undone.
        </>
      }
      onConfirm={async () => {
        const result = await revokeAllApiKeysAction(typed, via);
        if (!result.ok) return result.error.fieldErrors?.confirmation?.[0] ?? result.error.message;
        onRevoked(result.value.revoked);
        return null;
      }}
    >
      <Label htmlFor="revoke-all-confirmation">
        Type <strong>{tenantName}</strong> to confirm
      </Label>
      <Input
        id="revoke-all-confirmation"
        autoComplete="off"
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
      />
      <FieldError message={typed && typed.trim() !== tenantName ? "The name does not match." : undefined} />
    </ConfirmDialog>
  );
}

/** Rotating again during an overlap ends it: the first old secret dies with this rotation. */
function OverlapRunningWarning({ until, prefix }: { until: string; prefix: string | null }) {
  return (
    <p role="note" data-testid="overlap-running-warning" className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      An overlap is already running: the previous secret {prefix ? <code>{prefix}…</code> : null} was to work until{" "}
      {formatDateTime(until)}. Rotating again ends that overlap: that secret stops working now (with a new overlap, the
      current secret becomes the previous one).
    </p>
  );
}
