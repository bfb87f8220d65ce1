"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { revokeTokenAction } from "./actions";

export function RevokeTokenButton({ jti, name }: { jti: string; name: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="danger" aria-label={`Revoke token ${name}`} onClick={() => setOpen(true)}>
        Revoke
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Revoke token ${name}?`}
        description="Keyward refuses it from the next request on. Services that verify tokens offline refuse it once they refresh the revocation list; until then its expiry is the bound."
        confirmLabel="Revoke token"
        onConfirm={async () => {
          const result = await revokeTokenAction(jti);
          if (!result.ok) return result.error.message;
          setOpen(false);
          router.refresh();
          return null;
        }}
      />
    </>
  );
}
