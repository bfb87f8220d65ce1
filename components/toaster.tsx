"use client";

import { Toaster as Sonner, toast } from "sonner";

/**
 * The one toast region (sonner): a polite live region that screen readers announce, and
 * that survives the client-side navigation from Generate back to the list.
 */
export function Toaster() {
  return <Sonner position="bottom-right" richColors closeButton toastOptions={{ duration: 8000 }} />;
}

/** "ERP sync (kw_AbCd1234…)": how a toast names a key. */
export const keyLabel = (key: { name: string; prefix: string }) => `${key.name} (${key.prefix}…)`;

/** A success toast naming the key it was about. */
export function keyToast(verb: string, key: { name: string; prefix: string }) {
  toast.success(`${verb} ${keyLabel(key)}`);
}
