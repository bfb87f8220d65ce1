"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import type { CreatedRootKey } from "@/lib/root-keys/mutations";

export type ShownRootSecret = CreatedRootKey & { kind: "created" | "rotated" };

/** The root key's secret, once; closing drops it from memory (the parent clears `shown`). */
export function RootSecretDialog({ shown, onClosed }: { shown: ShownRootSecret | null; onClosed: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog
      open={shown !== null}
      onOpenChange={(open) => {
        if (!open) {
          setCopied(false);
          onClosed();
        }
      }}
    >
      <DialogContent width="wide" onInteractOutside={(event) => event.preventDefault()}>
        <DialogTitle>{shown?.kind === "rotated" ? "Root key rotated" : "Root key created"}</DialogTitle>
        <DialogDescription>
          Copy the secret of <strong>{shown?.key.name}</strong> into your gateway&apos;s or service&apos;s secret store now. It
          will not be shown again.
        </DialogDescription>
        <code data-testid="root-key-secret" className="mt-4 block rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-sm break-all select-all">
          {shown?.secret}
        </code>
        <pre tabIndex={0} role="region" aria-label="Usage example" className="mt-3 overflow-x-auto rounded-md bg-slate-900 px-3 py-2 text-xs text-slate-100">
          {`curl -X POST -H "Authorization: Bearer ${shown?.secret ?? ""}" -H "Content-Type: application/json" \\\n  -d '{"key":"kw_..."}' ${typeof window === "undefined" ? "" : window.location.origin}/v1/keys/verify`}
        </pre>
        <div className="mt-6 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => shown && navigator.clipboard.writeText(shown.secret).then(() => setCopied(true), () => setCopied(false))}>
            {copied ? "Copied" : "Copy secret"}
          </Button>
          <Button
            onClick={() => {
              setCopied(false);
              onClosed();
            }}
          >
            I have stored it
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
