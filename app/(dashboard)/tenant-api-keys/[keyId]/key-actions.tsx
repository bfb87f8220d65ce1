"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Pause, Pencil, Play, RefreshCw, TimerOff, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { keyToast } from "@/components/toaster";
import { useFocusReturn } from "@/components/use-focus-return";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { EditKeyDialog } from "../_components/edit-key-dialog";
import { inactiveReason } from "../_components/row-actions";
import { RevokeKeyDialog, RotateKeyDialog } from "../_components/key-dialogs";
import { DisableKeyDialog, EnableKeyDialog, EndOverlapDialog } from "../_components/key-state-dialogs";
import type { KeyGroupOption, KeyOwnerOptions } from "../_components/key-form-fields";
import { SecretDialog, type ShownSecret } from "../_components/secret-dialog";

type Action = "edit" | "rotate" | "revoke" | "disable" | "enable" | "end_overlap";

/** Which of the actions the role may not take (lib/auth/permissions.ts, checked on the page). */
export type KeyActionsDenied = { update: boolean; rotate: boolean; revoke: boolean; disable: boolean };

/**
 * Edit, Rotate, Disable / Re-enable, End overlap now and Revoke on the key's own page: the list's
 * dialogs and server actions (each permission-checked there), disabled with the reason when the
 * role or the key's state forbids, as the list's row actions are (row-actions.tsx).
 */
export function KeyActions({
  item,
  groups,
  owners,
  denied,
}: {
  item: KeyListItem;
  groups: KeyGroupOption[];
  /** The edit dialog's Service account and Environment choices (absent when the role may not edit). */
  owners?: KeyOwnerOptions;
  denied: KeyActionsDenied;
}) {
  const router = useRouter();
  const [active, setActive] = useState<Action | null>(null);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const focus = useFocusReturn(item);
  const buttons = {
    edit: useRef<HTMLButtonElement>(null),
    rotate: useRef<HTMLButtonElement>(null),
    revoke: useRef<HTMLButtonElement>(null),
    // Disable and Re-enable are one button; after either, focus finds its new label there.
    disable: useRef<HTMLButtonElement>(null),
    end_overlap: useRef<HTMLButtonElement>(null),
  };

  if (item.status === "revoked") return null;
  const inactive = inactiveReason(item.status);
  const disabled = item.status === "disabled";

  /** Focus goes back to the button that opened the dialog, or to the page's heading once it is gone. */
  function close(action: Action) {
    const opener: Exclude<Action, "enable"> = action === "enable" ? "disable" : action;
    focus.returnTo(() =>
      buttons[opener].current && !buttons[opener].current.disabled
        ? buttons[opener].current
        : document.querySelector<HTMLElement>("[data-key-heading]"),
    );
    setActive(null);
  }

  /** After a state change (disable, enable, end overlap): the toast, focus back, the page anew. */
  function stateChanged(action: Action, message: string) {
    toast.success(message);
    close(action);
    router.refresh();
  }

  const button = (
    action: Action,
    label: string,
    icon: React.ReactNode,
    roleDenied: boolean,
    stateReason: string | null,
    variant: "secondary" | "secondary-danger" = "secondary",
  ) => (
    <Button
      ref={buttons[action === "enable" ? "disable" : action]}
      variant={variant}
      disabled={roleDenied || stateReason !== null}
      aria-describedby={roleDenied ? "read-only-banner" : undefined}
      title={!roleDenied ? (stateReason ?? undefined) : undefined}
      onClick={() => setActive(action)}
    >
      {icon}
      {label}
    </Button>
  );

  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label="Key actions">
      {item.rotatingUntil &&
        button("end_overlap", "End overlap now", <TimerOff aria-hidden="true" className="size-4" />, denied.rotate, null)}
      {button("edit", "Edit", <Pencil aria-hidden="true" className="size-4" />, denied.update, inactive)}
      {button("rotate", "Rotate", <RefreshCw aria-hidden="true" className="size-4" />, denied.rotate, inactive)}
      {disabled
        ? button("enable", "Re-enable", <Play aria-hidden="true" className="size-4" />, denied.disable, null)
        : button("disable", "Disable", <Pause aria-hidden="true" className="size-4" />, denied.disable, item.status === "expired" ? inactive : null)}
      {button("revoke", "Revoke", <Trash2 aria-hidden="true" className="size-4" />, denied.revoke, null, "secondary-danger")}
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
      {active === "disable" && (
        <DisableKeyDialog item={item} onCloseAutoFocus={focus.onCloseAutoFocus} onClose={() => close("disable")} onDone={(m) => stateChanged("disable", m)} />
      )}
      {active === "enable" && (
        <EnableKeyDialog item={item} onCloseAutoFocus={focus.onCloseAutoFocus} onClose={() => close("enable")} onDone={(m) => stateChanged("enable", m)} />
      )}
      {active === "end_overlap" && (
        <EndOverlapDialog
          item={item}
          onCloseAutoFocus={focus.onCloseAutoFocus}
          onClose={() => close("end_overlap")}
          // The button goes with the overlap: focus goes to Rotate.
          onDone={(m) => {
            toast.success(m);
            focus.returnTo(() => buttons.rotate.current);
            setActive(null);
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
