"use client";

import * as DialogPrimitive from "@radix-ui/react-dialog";
import type { ComponentPropsWithoutRef, ReactNode } from "react";

/** The dimmed page behind every modal (dialogs and confirmations alike). */
export const OVERLAY_CLASS = "fixed inset-0 z-40 bg-black/50";

/**
 * A modal's box: a full-width sheet from the bottom of a phone's screen (its buttons within
 * thumb reach and never off-screen), a centred dialog from 640 px up. `wide` is for the dialogs
 * that show a secret or a form.
 */
export function sheetClass(width: "normal" | "wide" | "form" = "normal"): string {
  const max = width === "wide" ? "sm:max-w-2xl" : width === "form" ? "sm:max-w-xl" : "sm:max-w-lg";
  return `fixed inset-x-0 bottom-0 z-50 max-h-[90dvh] w-full overflow-y-auto rounded-t-xl bg-white p-5 shadow-xl focus:outline-none sm:inset-x-auto sm:top-1/2 sm:bottom-auto sm:left-1/2 sm:w-[calc(100vw-2rem)] sm:-translate-x-1/2 sm:-translate-y-1/2 sm:rounded-xl sm:p-6 ${max}`;
}

// Radix traps focus, closes on Escape and restores focus to the trigger; these only style it.
export const Dialog = DialogPrimitive.Root;

export function DialogContent({
  children,
  className = "",
  width = "normal",
  ...props
}: ComponentPropsWithoutRef<typeof DialogPrimitive.Content> & { children: ReactNode; width?: "normal" | "wide" | "form" }) {
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className={OVERLAY_CLASS} />
      <DialogPrimitive.Content className={`${sheetClass(width)} ${className}`} {...props}>
        {children}
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}

export function DialogTitle({ children }: { children: ReactNode }) {
  return <DialogPrimitive.Title className="text-lg font-semibold text-slate-900">{children}</DialogPrimitive.Title>;
}

export function DialogDescription({ children }: { children: ReactNode }) {
  return <DialogPrimitive.Description className="mt-2 text-sm text-slate-600">{children}</DialogPrimitive.Description>;
}
