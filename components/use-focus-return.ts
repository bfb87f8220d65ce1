"use client";

import { useCallback, useEffect, useRef } from "react";

/**
 * Puts focus back on the control a dialog was opened from once it closes (Escape, Save,
 * Revoke, Rotate), instead of on the page body. The dialogs are mounted only while open, and
 * the refresh after a change may re-render the row that opened them, so the opener is found
 * again by a function (the button, or the row's link when the button is gone) rather than
 * kept as a node: when the dialog closes (`onCloseAutoFocus`, which also stops Radix from
 * focusing a node that no longer exists), and again whenever `refreshKey` changes while focus
 * is lost. It never takes focus from where the user put it: their next click or focus
 * elsewhere forgets the target.
 */
export function useFocusReturn(refreshKey: unknown) {
  const target = useRef<(() => HTMLElement | null) | null>(null);

  const restore = useCallback(() => {
    const active = document.activeElement;
    if (active && active !== document.body) return;
    target.current?.()?.focus();
  }, []);

  useEffect(() => {
    restore();
  }, [refreshKey, restore]);

  useEffect(() => {
    const forget = (event: Event) => {
      if (target.current && event.target !== target.current()) target.current = null;
    };
    document.addEventListener("focusin", forget);
    document.addEventListener("pointerdown", forget);
    return () => {
      document.removeEventListener("focusin", forget);
      document.removeEventListener("pointerdown", forget);
    };
  }, []);

  return {
    /** Call as the dialog closes: where focus goes next. */
    returnTo: useCallback((find: () => HTMLElement | null) => {
      target.current = find;
    }, []),
    onCloseAutoFocus: useCallback(
      (event: Event) => {
        event.preventDefault();
        restore();
        // Radix calls this as the dialog unmounts; the opener may re-render in the same tick.
        requestAnimationFrame(restore);
      },
      [restore],
    ),
  };
}

/** In a key list row: the button whose label starts with `action` ("Edit"), else the row's first link. */
export function findInRow(keyId: string, action: string): () => HTMLElement | null {
  return () => {
    const row = document.querySelector(`[data-key-id="${CSS.escape(keyId)}"]`);
    if (!row) return null;
    return (
      row.querySelector<HTMLElement>(`button[aria-label^="${CSS.escape(action)} "]:not([disabled])`) ??
      row.querySelector<HTMLElement>("a[href]")
    );
  };
}
