"use client";

import { useState } from "react";
import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { signOutEverywhere } from "../actions";

/** The user menu: sign out here, or end every session of this account (other browsers, copies). */
export function SignOutButton({ email }: { email: string }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex items-center gap-3">
      <details className="relative">
        <summary className="cursor-pointer list-none rounded-md px-2 py-1 hover:bg-slate-100">{email}</summary>
        <div className="absolute right-0 z-10 mt-2 w-64 rounded-md border border-slate-200 bg-white p-3 shadow-lg">
          <p className="mb-2 text-xs text-slate-500">Ends this session and every other one of this account, on every device.</p>
          <Button
            variant="secondary"
            onClick={async () => {
              setError(null);
              const result = await signOutEverywhere();
              if (!result.ok) return setError("Could not end the sessions. Try again.");
              await signOut({ callbackUrl: "/sign-in" });
            }}
          >
            Sign out of all sessions
          </Button>
          {error && (
            <p role="alert" className="mt-2 text-xs text-red-700">
              {error}
            </p>
          )}
        </div>
      </details>
      <Button variant="secondary" onClick={() => signOut({ callbackUrl: "/sign-in" })}>
        Sign out
      </Button>
    </div>
  );
}
