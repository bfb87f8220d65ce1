"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { Copy } from "lucide-react";
import { formatDateTime } from "@/lib/format/dates";

export type ShownSecret = {
  secret: string;
  keyName: string;
  prefix: string;
  kind: "generated" | "rotated";
  previousValidUntil?: string | null;
};

/**
 * Shows a new secret exactly once. Closing asks for confirmation; once closed, the parent
 * drops the secret from its state, and nothing on the server can show it again.
 */
export function SecretDialog({ shown, onClosed }: { shown: ShownSecret | null; onClosed: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState<"secret" | "snippet" | null>(null);
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const snippet = shown ? `curl -H "X-API-Key: ${shown.secret}" ${origin}/v1/whoami` : "";

  async function copy(text: string, what: "secret" | "snippet") {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(what);
    } catch {
      setCopied(null);
    }
  }

  function close() {
    setConfirming(false);
    setCopied(null);
    onClosed();
  }

  return (
    <Dialog open={shown !== null} onOpenChange={(open) => !open && setConfirming(true)}>
      <DialogContent width="wide" onInteractOutside={(event) => event.preventDefault()}>
        {shown && !confirming && (
          <>
            <DialogTitle>{shown.kind === "generated" ? "API key generated" : "API key rotated"}</DialogTitle>
            <DialogDescription>
              Copy the secret for <strong>{shown.keyName}</strong> now and store it in a vault or your integration&apos;s
              secret store. It will not be shown again.
            </DialogDescription>
            {shown.kind === "rotated" && (
              <p className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
                {shown.previousValidUntil
                  ? `The old secret keeps working until ${formatDateTime(shown.previousValidUntil)}.`
                  : "The old secret no longer works."}
              </p>
            )}
            <div className="mt-4">
              <p className="text-sm font-medium text-slate-800" id="secret-label">
                Secret
              </p>
              <div className="mt-1 flex items-center gap-2">
                <code
                  aria-labelledby="secret-label"
                  data-testid="api-key-secret"
                  className="flex-1 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-sm break-all select-all"
                >
                  {shown.secret}
                </code>
                <Button variant="secondary" aria-label="Copy secret" onClick={() => copy(shown.secret, "secret")}>
                  <Copy aria-hidden="true" className="size-4" />
                  {copied === "secret" ? "Copied" : "Copy"}
                </Button>
              </div>
            </div>
            <div className="mt-4">
              <p className="text-sm font-medium text-slate-800">Usage</p>
              {/* Focusable: a long line scrolls sideways, and keyboard users must be able to scroll it. */}
              <pre tabIndex={0} role="region" aria-label="Usage example" className="mt-1 overflow-x-auto rounded-md bg-slate-900 px-3 py-2 text-xs text-slate-100">{snippet}</pre>
              <Button variant="ghost" className="mt-1" onClick={() => copy(snippet, "snippet")}>
                {copied === "snippet" ? "Copied example" : "Copy example"}
              </Button>
            </div>
            <div className="mt-6 flex justify-end">
              <Button onClick={() => setConfirming(true)}>Close</Button>
            </div>
          </>
        )}
        {shown && confirming && (
          <>
            <DialogTitle>Close without the secret?</DialogTitle>
            <DialogDescription>
              You won&apos;t see this secret again. If you have not stored it, go back and copy it now; otherwise you will
              have to rotate the key to get a new one.
            </DialogDescription>
            <div className="mt-6 flex justify-end gap-3">
              <Button variant="secondary" onClick={() => setConfirming(false)}>
                Back to the secret
              </Button>
              <Button variant="danger" onClick={close}>
                I have stored it, close
              </Button>
            </div>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
