"use client";

import { useState, type ReactNode } from "react";
import { Copy } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";

/**
 * The one dialog that shows a credential exactly once: an API key's secret, a root key's
 * secret, a signed token. Closing without having copied it (Close, Escape) asks first; once
 * it was copied, Close closes. The parent drops the value from its state in `onClosed`, and
 * nothing on the server can show it again. An outside click never closes it.
 */
export function ShowOnceDialog({
  open,
  title,
  description,
  value,
  valueLabel,
  testId,
  notice,
  example,
  onClosed,
  onCloseAutoFocus,
}: {
  open: boolean;
  title: string;
  description: ReactNode;
  /** The credential itself. */
  value: string;
  /** "Secret" or "Token": the value's label and its copy button's name ("Copy secret"). */
  valueLabel: "Secret" | "Token";
  testId: string;
  /** Shown above the value, e.g. how long a rotated key's old secret keeps working. */
  notice?: ReactNode;
  /** Below the value: a usage example or decoded claims, `text` is what Copy example copies. */
  example?: { label: string; text: string; testId?: string; copyable?: boolean };
  onClosed: () => void;
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState<"value" | "example" | null>(null);
  // The example holds the credential too: copying it counts as having copied the value.
  const [everCopied, setEverCopied] = useState(false);
  const noun = valueLabel.toLowerCase();
  const labelId = `${testId}-label`;

  async function copy(text: string, what: "value" | "example") {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(what);
      setEverCopied(true);
    } catch {
      setCopied(null);
    }
  }

  function close() {
    setConfirming(false);
    setCopied(null);
    setEverCopied(false);
    onClosed();
  }

  const requestClose = () => (everCopied ? close() : setConfirming(true));

  return (
    <Dialog open={open} onOpenChange={(next) => !next && requestClose()}>
      <DialogContent
        width="wide"
        onInteractOutside={(event) => event.preventDefault()}
        onCloseAutoFocus={onCloseAutoFocus}
      >
        {open && !confirming && (
          <>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
            {notice && <div className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">{notice}</div>}
            <div className="mt-4">
              <p className="text-sm font-medium text-slate-800" id={labelId}>
                {valueLabel}
              </p>
              <div className="mt-1 flex items-center gap-2">
                <code
                  aria-labelledby={labelId}
                  data-testid={testId}
                  className="flex-1 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-sm break-all select-all"
                >
                  {value}
                </code>
                <Button variant="secondary" aria-label={`Copy ${noun}`} onClick={() => copy(value, "value")}>
                  <Copy aria-hidden="true" className="size-4" />
                  {copied === "value" ? "Copied" : "Copy"}
                </Button>
              </div>
            </div>
            {example && (
              <div className="mt-4">
                <p className="text-sm font-medium text-slate-800">{example.label}</p>
                {/* Focusable: a long line scrolls sideways, and keyboard users must be able to scroll it. */}
                <pre
                  tabIndex={0}
                  role="region"
                  aria-label={example.label === "Usage" ? "Usage example" : example.label}
                  data-testid={example.testId}
                  className="mt-1 overflow-x-auto rounded-md bg-slate-900 px-3 py-2 text-xs text-slate-100"
                >
                  {example.text}
                </pre>
                {example.copyable !== false && (
                  <Button variant="ghost" className="mt-1" onClick={() => copy(example.text, "example")}>
                    {copied === "example" ? "Copied example" : "Copy example"}
                  </Button>
                )}
              </div>
            )}
            <div className="mt-6 flex items-center justify-end gap-3">
              {everCopied && (
                <p role="status" className="text-sm text-emerald-700">
                  Copied. Store it before you close.
                </p>
              )}
              <Button onClick={requestClose}>Close</Button>
            </div>
          </>
        )}
        {open && confirming && (
          <>
            <DialogTitle>{`Close without the ${noun}?`}</DialogTitle>
            <DialogDescription>
              You won&apos;t see this {noun} again. It was not copied: if you have not stored it, go back and copy it now;
              otherwise you will have to make a new one.
            </DialogDescription>
            <div className="mt-6 flex justify-end gap-3">
              <Button variant="secondary" onClick={() => setConfirming(false)}>
                {`Back to the ${noun}`}
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
