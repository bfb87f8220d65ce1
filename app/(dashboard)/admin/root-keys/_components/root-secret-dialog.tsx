"use client";

import { ShowOnceDialog } from "@/components/show-once-dialog";
import type { CreatedRootKey } from "@/lib/root-keys/mutations";

export type ShownRootSecret = CreatedRootKey & { kind: "created" | "rotated" };

/** The root key's secret, once (components/show-once-dialog.tsx); closing drops it (the parent clears `shown`). */
export function RootSecretDialog({ shown, onClosed }: { shown: ShownRootSecret | null; onClosed: () => void }) {
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <ShowOnceDialog
      open={shown !== null}
      title={shown?.kind === "rotated" ? "Root key rotated" : "Root key created"}
      description={
        <>
          Copy the secret of <strong>{shown?.key.name}</strong> into your gateway&apos;s or service&apos;s secret store now.
          It will not be shown again.
        </>
      }
      value={shown?.secret ?? ""}
      valueLabel="Secret"
      testId="root-key-secret"
      example={{
        label: "Usage",
        text: `curl -X POST -H "Authorization: Bearer ${shown?.secret ?? ""}" -H "Content-Type: application/json" \\\n  -d '{"key":"kw_..."}' ${origin}/v1/keys/verify`,
      }}
      onClosed={onClosed}
    />
  );
}
