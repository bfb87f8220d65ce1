"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { FieldError, Input, Label } from "@/components/ui/field";
import type { RootKeyRow } from "@/lib/root-keys/queries";
import { rootKeyInputSchema } from "@/lib/root-keys/schemas";
import { updateRootKeyAction } from "../actions";

/** Renames a root key (its reach stays as it is); the same zod schema as the server action. */
export function RenameRootKeyDialog({ rootKey, onClose }: { rootKey: RootKeyRow | null; onClose: () => void }) {
  const router = useRouter();
  const [name, setName] = useState(rootKey?.name ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog open={rootKey !== null} onOpenChange={(open) => !open && !busy && onClose()}>
      <DialogContent>
        <DialogTitle>Rename root key</DialogTitle>
        <DialogDescription>The secret and the tenants it may verify stay as they are.</DialogDescription>
        <form
          className="mt-4 space-y-4"
          onSubmit={async (event) => {
            event.preventDefault();
            if (!rootKey) return;
            const input = { name, allTenants: rootKey.allTenants, tenantIds: rootKey.tenantIds };
            const parsed = rootKeyInputSchema.safeParse(input);
            if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "Check the name.");
            setBusy(true);
            const result = await updateRootKeyAction(rootKey.id, input);
            setBusy(false);
            if (!result.ok) return setError(result.error.fieldErrors?.name?.[0] ?? result.error.message);
            onClose();
            router.refresh();
          }}
        >
          <div>
            <Label htmlFor="rename-root-key">New name</Label>
            <Input id="rename-root-key" value={name} aria-invalid={!!error} aria-describedby="rename-root-key-error" onChange={(e) => setName(e.target.value)} />
            <FieldError id="rename-root-key-error" message={error ?? undefined} />
          </div>
          <div className="flex justify-end gap-3">
            <Button variant="secondary" disabled={busy} onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy}>
              Save name
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
