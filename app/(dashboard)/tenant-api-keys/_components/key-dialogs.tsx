"use client";

import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { SELECT_CLASS, Input, Label, FieldError } from "@/components/ui/field";
import { ROTATION_OVERLAPS } from "@/lib/api-keys/schemas";
import { formatDateTime } from "@/lib/format/dates";
import { revokeAllApiKeysAction, revokeApiKeyAction, rotateApiKeyAction } from "../actions";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import type { ShownSecret } from "./secret-dialog";

/** Set by the command bar: its audit events say the change came from the assistant. */
type Via = { via?: "assistant" };

export function RotateKeyDialog({
  item,
  onClose,
  onRotated,
  initialOverlap = "none",
  via,
}: {
  item: Pick<KeyListItem, "id" | "name"> & { version?: number; rotatingUntil?: string | null; previousSecret?: KeyListItem["previousSecret"] };
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
      <Label htmlFor="rotate-overlap">When should the current secret stop working?</Label>
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
}: { item: Pick<KeyListItem, "id" | "name">; onClose: () => void; onRevoked: () => void } & Via) {
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Revoke API Key"
      confirmLabel="Revoke"
      description={`Are you sure you want to revoke the API key ${item.name}? This action cannot be undone and any applications using this key will lose access immediately.`}
      onConfirm={async () => {
        const result = await revokeApiKeyAction(item.id, via);
        if (!result.ok) return result.error.message;
        onRevoked();
        return null;
      }}
    />
  );
}

export function RevokeAllDialog({
  tenantName,
  activeCount,
  onClose,
  onRevoked,
  via,
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
