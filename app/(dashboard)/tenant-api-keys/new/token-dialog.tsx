"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { Copy } from "lucide-react";
import type { TokenClaims } from "@/lib/tokens/issue";

/** Shows a new token exactly once, with its decoded claims; closing drops it from the page's state. */
export function TokenDialog({ shown, onClosed }: { shown: { token: string; claims: TokenClaims } | null; onClosed: () => void }) {
  const [copied, setCopied] = useState(false);

  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

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
        {shown && (
          <>
            <DialogTitle>Signed token generated</DialogTitle>
            <DialogDescription>
              Copy the token for <strong>{shown.claims.name}</strong> now. It will not be shown again. It expires at{" "}
              {new Date(shown.claims.exp * 1000).toISOString()}.
            </DialogDescription>
            <div className="mt-4">
              <p className="text-sm font-medium text-slate-800" id="token-label">
                Token
              </p>
              <div className="mt-1 flex items-center gap-2">
                <code aria-labelledby="token-label" data-testid="signed-token" className="flex-1 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs break-all select-all">
                  {shown.token}
                </code>
                <Button variant="secondary" aria-label="Copy token" onClick={() => copy(shown.token)}>
                  <Copy aria-hidden="true" className="size-4" />
                  {copied ? "Copied" : "Copy"}
                </Button>
              </div>
            </div>
            <div className="mt-4">
              <p className="text-sm font-medium text-slate-800">Claims (decoded)</p>
              <pre tabIndex={0} role="region" aria-label="Decoded claims" data-testid="token-claims" className="mt-1 overflow-x-auto rounded-md bg-slate-900 px-3 py-2 text-xs text-slate-100">
                {JSON.stringify(shown.claims, null, 2)}
              </pre>
            </div>
            <div className="mt-6 flex justify-end">
              <Button onClick={() => { setCopied(false); onClosed(); }}>I have stored it, close</Button>
            </div>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
