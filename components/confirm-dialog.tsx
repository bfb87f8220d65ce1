"use client";

import { useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { OVERLAY_CLASS, sheetClass } from "@/components/ui/dialog";

/**
 * The one confirmation dialog for rotate, revoke and revoke-all. `onConfirm` resolves to an
 * error message to show (the dialog stays open) or null when done. Radix's AlertDialog gives
 * the alertdialog role, traps focus, starts on Cancel (or on the typed confirmation, when the
 * dialog asks for one) and does not close on an outside click;
 * the confirm button is a plain button rather than AlertDialog.Action, which would close the
 * dialog before the change has succeeded.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  variant = "danger",
  confirmDisabled = false,
  onConfirm,
  onCloseAutoFocus,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  variant?: "danger" | "primary";
  confirmDisabled?: boolean;
  onConfirm: () => Promise<string | null>;
  /** Where focus goes on close (components/use-focus-return.ts); Radix's default otherwise. */
  onCloseAutoFocus?: (event: Event) => void;
  children?: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const content = useRef<HTMLDivElement>(null);

  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (busy) return;
        if (!next) setError(null);
        onOpenChange(next);
      }}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={OVERLAY_CLASS} />
        <AlertDialog.Content
          ref={content}
          onCloseAutoFocus={onCloseAutoFocus}
          onOpenAutoFocus={(event) => {
            // A dialog that asks for a typed confirmation starts there: the one thing to do first.
            const input = content.current?.querySelector<HTMLInputElement>("input:not([disabled])");
            if (!input) return;
            event.preventDefault();
            input.focus();
          }}
          className={sheetClass()}>
          <AlertDialog.Title className="text-lg font-semibold text-slate-900">{title}</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-slate-600">{description}</AlertDialog.Description>
          {children && <div className="mt-4">{children}</div>}
          {error && (
            <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
              {error}
            </p>
          )}
          <div className="mt-6 flex flex-wrap justify-end gap-3">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary" disabled={busy}>
                Cancel
              </Button>
            </AlertDialog.Cancel>
            <Button
              variant={variant}
              disabled={busy || confirmDisabled}
              onClick={async () => {
                setBusy(true);
                setError(null);
                try {
                  const message = await onConfirm();
                  if (message) setError(message);
                } catch {
                  setError("Something went wrong. Nothing was changed; try again.");
                } finally {
                  setBusy(false);
                }
              }}
            >
              {busy ? "Working…" : confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
