"use client";

import dynamic from "next/dynamic";
import { useEffect, useState } from "react";

// The bar (its parser, chrono-node, the dialogs it reuses) loads on first use, so the pages'
// first-load JavaScript carries only this button and the shortcut.
const AssistantBar = dynamic(() => import("./assistant-bar"), { ssr: false });

/** The header's "Ask Keyward" button; Ctrl+K or Cmd+K opens it from anywhere on the page. */
export function AssistantLauncher() {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setOpen(true);
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Control+K Meta+K"
        className="inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm text-slate-600 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        Ask Keyward
        <kbd className="rounded border border-slate-200 bg-slate-50 px-1 text-xs text-slate-500">Ctrl K</kbd>
      </button>
      {open && <AssistantBar onClose={() => setOpen(false)} />}
    </>
  );
}
