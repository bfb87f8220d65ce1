"use client";

import { ShowOnceDialog } from "@/components/show-once-dialog";
import type { TokenClaims } from "@/lib/tokens/issue";

/** Shows a new token exactly once, with its decoded claims; closing drops it from the page's state. */
export function TokenDialog({ shown, onClosed }: { shown: { token: string; claims: TokenClaims } | null; onClosed: () => void }) {
  return (
    <ShowOnceDialog
      open={shown !== null}
      title="Signed token generated"
      description={
        <>
          Copy the token for <strong>{shown?.claims.name}</strong> now. It will not be shown again. It expires at{" "}
          {shown ? new Date(shown.claims.exp * 1000).toISOString() : ""}.
        </>
      }
      value={shown?.token ?? ""}
      valueLabel="Token"
      testId="signed-token"
      example={{
        label: "Claims (decoded)",
        text: shown ? JSON.stringify(shown.claims, null, 2) : "",
        testId: "token-claims",
        copyable: false,
      }}
      onClosed={onClosed}
    />
  );
}
