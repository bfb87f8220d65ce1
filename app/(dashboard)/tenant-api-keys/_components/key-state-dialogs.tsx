"use client";

import { ConfirmDialog } from "@/components/confirm-dialog";
import { formatDateTime } from "@/lib/format/dates";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { disableApiKeyAction, enableApiKeyAction, endRotationOverlapAction } from "../actions";
import { revokeTokenAction } from "../tokens/actions";

type Item = Pick<KeyListItem, "id" | "name" | "prefix" | "version" | "rotatingUntil" | "previousSecret">;
type Props = {
  item: Item;
  onClose: () => void;
  onDone: (message: string) => void;
  /** Where focus goes on close (the key page's buttons: components/use-focus-return.ts). */
  onCloseAutoFocus?: (event: Event) => void;
};

/** Disable (reversible, unlike revoke): every request with the key gets 401 until re-enabled. */
export function DisableKeyDialog({ item, onClose, onDone, onCloseAutoFocus }: Props) {
  return (
    <ConfirmDialog
      open
      onCloseAutoFocus={onCloseAutoFocus}
      onOpenChange={(open) => !open && onClose()}
      title="Disable API Key"
      confirmLabel="Disable"
      description={
        <>
          Requests with <strong>{item.name}</strong> (<code>{item.prefix}…</code>) are refused from the next one on,
          on every instance, until you re-enable it. Unlike revoking, this can be undone; the key keeps its place of
          the key limit meanwhile.
        </>
      }
      onConfirm={async () => {
        const result = await disableApiKeyAction(item.id, item.version);
        if (!result.ok) return result.error.message;
        onDone(`Disabled ${item.name}.`);
        return null;
      }}
    />
  );
}

export function EnableKeyDialog({ item, onClose, onDone, onCloseAutoFocus }: Props) {
  return (
    <ConfirmDialog
      open
      onCloseAutoFocus={onCloseAutoFocus}
      onOpenChange={(open) => !open && onClose()}
      title="Re-enable API Key"
      variant="primary"
      confirmLabel="Re-enable"
      description={
        <>
          <strong>{item.name}</strong> (<code>{item.prefix}…</code>) works again from the next request on, with its
          current secret and configuration.
        </>
      }
      onConfirm={async () => {
        const result = await enableApiKeyAction(item.id, item.version);
        if (!result.ok) return result.error.message;
        onDone(`Re-enabled ${item.name}.`);
        return null;
      }}
    />
  );
}

/** Ends a rotation overlap early: the previous secret stops working at once. */
export function EndOverlapDialog({ item, onClose, onDone, onCloseAutoFocus }: Props) {
  const previous = item.previousSecret;
  return (
    <ConfirmDialog
      open
      onCloseAutoFocus={onCloseAutoFocus}
      onOpenChange={(open) => !open && onClose()}
      title="End rotation overlap"
      confirmLabel="End overlap now"
      description={
        <>
          The previous secret of <strong>{item.name}</strong> (<code>{previous?.prefix ?? "?"}…</code>) stops working
          now instead of {item.rotatingUntil ? formatDateTime(item.rotatingUntil) : "at the end of the overlap"}. It was
          last used {previous?.lastUsedAt ? formatDateTime(previous.lastUsedAt) : "never since the rotation"}.
          Applications still sending it lose access immediately.
        </>
      }
      onConfirm={async () => {
        const result = await endRotationOverlapAction(item.id, item.version);
        if (!result.ok) return result.error.message;
        onDone(`Ended the rotation overlap of ${item.name}.`);
        return null;
      }}
    />
  );
}

/** A signed token listed among the keys: revoking puts its jti on the deny list. */
export function RevokeTokenDialog({ item, onClose, onDone }: Props) {
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Revoke token ${item.name}?`}
      confirmLabel="Revoke token"
      description="Keyward refuses it from the next request on. Services that verify tokens offline refuse it once they refresh the revocation list; until then its expiry is the bound."
      onConfirm={async () => {
        const result = await revokeTokenAction(item.id);
        if (!result.ok) return result.error.message;
        onDone(`Revoked token ${item.name}.`);
        return null;
      }}
    />
  );
}
