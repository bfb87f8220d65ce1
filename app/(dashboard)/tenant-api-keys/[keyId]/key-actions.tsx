"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Pencil, RefreshCw, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { keyToast } from "@/components/toaster";
import { useFocusReturn } from "@/components/use-focus-return";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { EditKeyDialog } from "../_components/edit-key-dialog";
import { RevokeKeyDialog, RotateKeyDialog } from "../_components/key-dialogs";
import type { KeyGroupOption, KeyOwnerOptions } from "../_components/key-form-fields";
import { SecretDialog, type ShownSecret } from "../_components/secret-dialog";

type Action = "edit" | "rotate" | "revoke";

/**
 * Edit, Rotate and Revoke on the key's own page: the list's dialogs and server actions (each
 * permission-checked there), disabled with the reason when the role or the key's state forbids.
 */
export function KeyActions({
  item,
  groups,
  owners,
  roleDenied,
}: {
  item: KeyListItem;
  groups: KeyGroupOption[];
  /** The edit dialog's Service account and Environment choices (absent when the role may not edit). */
  owners?: KeyOwnerOptions;
  /** The read-only banner's id when the role may not change keys. */
  roleDenied: boolean;
}) {
  const router = useRouter();
  const [active, setActive] = useState<Action | null>(null);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const focus = useFocusReturn(item);
  const buttons = { edit: useRef<HTMLButtonElement>(null), rotate: useRef<HTMLButtonElement>(null), revoke: useRef<HTMLButtonElement>(null) };

  if (item.status === "revoked") return null;
  const inactive = item.status === "expired" ? "Expired keys cannot be changed; generate a new key." : null;

  /** Focus goes back to the button that opened the dialog, or to the page's heading once it is gone. */
  function close(action: Action) {
    focus.returnTo(() =>
      buttons[action].current && !buttons[action].current.disabled
        ? buttons[action].current
        : document.querySelector<HTMLElement>("[data-key-heading]"),
    );
    setActive(null);
  }

  const button = (action: Action, label: string, icon: React.ReactNode, disabled: boolean, variant: "secondary" | "secondary-danger") => (
    <Button
      ref={buttons[action]}
      variant={variant}
      disabled={roleDenied || disabled}
      aria-describedby={roleDenied ? "read-only-banner" : undefined}
      title={!roleDenied && disabled ? (inactive ?? undefined) : undefined}
      onClick={() => setActive(action)}
    >
      {icon}
      {label}
    </Button>
  );

  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label="Key actions">
      {button("edit", "Edit", <Pencil aria-hidden="true" className="size-4" />, inactive !== null, "secondary")}
      {button("rotate", "Rotate", <RefreshCw aria-hidden="true" className="size-4" />, inactive !== null, "secondary")}
      {button("revoke", "Revoke", <Trash2 aria-hidden="true" className="size-4" />, false, "secondary-danger")}
      {active === "edit" && (
        <EditKeyDialog
          item={item}
          groups={groups}
          owners={owners}
          onCloseAutoFocus={focus.onCloseAutoFocus}
          onClose={() => close("edit")}
          onSaved={(key) => {
            keyToast("Saved", key);
            close("edit");
            router.refresh();
          }}
        />
      )}
      {active === "rotate" && (
        <RotateKeyDialog
          item={item}
          onCloseAutoFocus={focus.onCloseAutoFocus}
          onClose={() => close("rotate")}
          onRotated={(next) => {
            setActive(null);
            setShown(next);
          }}
        />
      )}
      {active === "revoke" && (
        <RevokeKeyDialog
          item={item}
          onCloseAutoFocus={focus.onCloseAutoFocus}
          onClose={() => close("revoke")}
          onRevoked={(key) => {
            keyToast("Revoked", key);
            close("revoke");
            router.refresh();
          }}
        />
      )}
      <SecretDialog
        shown={shown}
        onCloseAutoFocus={focus.onCloseAutoFocus}
        onClosed={() => {
          if (shown) keyToast("Rotated", { name: shown.keyName, prefix: shown.prefix });
          setShown(null);
          close("rotate");
          router.refresh();
        }}
      />
    </div>
  );
}
