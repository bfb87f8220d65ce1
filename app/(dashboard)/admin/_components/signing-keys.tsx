"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { rotateSigningKeyAction } from "../actions";

export type SigningKeyRow = { kid: string; createdAt: string; retiredAt: string | null; published: boolean };

/** The keys that sign tokens, and the rotation: the old key stays published until its tokens expire. */
export function SigningKeys({ rows }: { rows: SigningKeyRow[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  return (
    <section aria-labelledby="signing-keys" className="rounded-lg border border-slate-200 bg-white p-5">
      <div className="flex items-start justify-between">
        <div>
          <h2 id="signing-keys" className="text-base font-semibold">Token signing keys</h2>
          <p className="mt-1 text-sm text-slate-600">
            ES256 keys that sign tokens, published at <code>/.well-known/jwks.json</code>. A rotated-out key stays published
            until every token it signed has expired.
          </p>
        </div>
        <Button variant="secondary" onClick={() => setOpen(true)}>
          Rotate signing key
        </Button>
        <ConfirmDialog
          open={open}
          onOpenChange={setOpen}
          title="Rotate the token signing key?"
          description="New tokens are signed with a new key. Tokens signed with the current one keep verifying until they expire; its public key stays in the JWKS until then."
          confirmLabel="Rotate signing key"
          variant="primary"
          onConfirm={async () => {
            const result = await rotateSigningKeyAction();
            if (!result.ok) return result.error.message;
            setOpen(false);
            setMessage(`Rotated: new key ${result.value.kid}.`);
            router.refresh();
            return null;
          }}
        />
      </div>
      {message && (
        <p role="status" className="mt-3 text-sm text-slate-700">
          {message}
        </p>
      )}
      <table className="mt-3 w-full text-sm">
        <thead className="text-left text-slate-500">
          <tr>
            <th className="py-1">Key id (kid)</th>
            <th className="py-1">Created</th>
            <th className="py-1">State</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={3} className="py-2 text-slate-500">None yet: the first key is made when the first token is signed.</td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.kid} className="border-t border-slate-100" data-testid="signing-key-row">
              <td className="py-1 font-mono text-xs">{r.kid}</td>
              <td className="py-1">{r.createdAt.slice(0, 16).replace("T", " ")} UTC</td>
              <td className="py-1">{r.retiredAt ? (r.published ? "Retired, still published" : "Retired") : "Active"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
