"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { revokeTokenAction } from "./actions";

export function RevokeTokenButton({ jti, name }: { jti: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <>
      <Button
        variant="danger"
        aria-label={`Revoke token ${name}`}
        disabled={pending}
        onClick={async () => {
          if (!window.confirm(`Revoke the token ${name}? It stops working in Keyward at once.`)) return;
          setPending(true);
          const result = await revokeTokenAction(jti);
          setPending(false);
          if (result.ok) router.refresh();
          else setError(result.error.message);
        }}
      >
        Revoke
      </Button>
      {error && <span role="alert" className="ml-2 text-xs text-red-700">{error}</span>}
    </>
  );
}
