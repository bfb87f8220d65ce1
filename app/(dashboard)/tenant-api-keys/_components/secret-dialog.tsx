"use client";

import { ShowOnceDialog } from "@/components/show-once-dialog";
import { formatDateTime } from "@/lib/format/dates";

export type ShownSecret = {
  secret: string;
  keyName: string;
  prefix: string;
  kind: "generated" | "rotated";
  previousValidUntil?: string | null;
  /** The key's id: the list highlights its row afterwards. */
  keyId?: string;
};

/** An API key's new secret, once (components/show-once-dialog.tsx), with a curl example. */
export function SecretDialog({
  shown,
  onClosed,
  onCloseAutoFocus,
}: {
  shown: ShownSecret | null;
  onClosed: () => void;
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <ShowOnceDialog
      open={shown !== null}
      title={shown?.kind === "rotated" ? "API key rotated" : "API key generated"}
      description={
        <>
          Copy the secret for <strong>{shown?.keyName}</strong> now and store it in a vault or your integration&apos;s
          secret store. It will not be shown again.
        </>
      }
      value={shown?.secret ?? ""}
      valueLabel="Secret"
      testId="api-key-secret"
      notice={
        shown?.kind === "rotated" &&
        (shown.previousValidUntil
          ? `The old secret keeps working until ${formatDateTime(shown.previousValidUntil)}.`
          : "The old secret no longer works.")
      }
      example={{ label: "Usage", text: shown ? `curl -H "X-API-Key: ${shown.secret}" ${origin}/v1/whoami` : "" }}
      onClosed={onClosed}
      onCloseAutoFocus={onCloseAutoFocus}
    />
  );
}
