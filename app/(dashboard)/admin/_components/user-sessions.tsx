"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import type { UserSessionsRow } from "@/lib/auth/sessions";
import { endUserSessionsAction } from "../actions";

/** Users and their open sessions; a super user can sign anyone out everywhere. */
export function UserSessions({ rows }: { rows: UserSessionsRow[] }) {
  const router = useRouter();
  const [target, setTarget] = useState<UserSessionsRow | null>(null);
  const [done, setDone] = useState<string | null>(null);

  return (
    <section aria-labelledby="users-heading" className="space-y-3">
      <div>
        <h2 id="users-heading" className="text-lg font-semibold">
          Users
        </h2>
        <p className="text-sm text-slate-600">
          End a user&apos;s sessions to sign them out on every device at once (a lost laptop, a copied cookie). Recorded in
          the audit log of each of their tenants.
        </p>
      </div>
      {done && (
        <p role="status" className="text-sm text-emerald-700">
          {done}
        </p>
      )}
      {/* A list, not a second table: the page's one table is the tenants'. */}
      <ul aria-label="Users" className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm">
        {rows.map((row) => (
          <li key={row.id} className="flex items-center justify-between gap-4 px-4 py-2">
            <div>
              <div className="font-medium">{row.email}</div>
              <div className="text-xs text-slate-500">
                {row.name}
                {row.isSuperUser ? " · super user" : ""}
              </div>
            </div>
            <div className="flex items-center gap-3">
              <span className="text-slate-600">
                <span data-testid={`open-sessions-${row.email}`}>{row.openSessions}</span> open session(s)
              </span>
              <Button
                variant="secondary"
                disabled={row.openSessions === 0}
                aria-label={`End sessions of ${row.email}`}
                onClick={() => setTarget(row)}
              >
                End sessions
              </Button>
            </div>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={!!target}
        onOpenChange={(open) => !open && setTarget(null)}
        title="End sessions"
        description={
          target
            ? `Sign ${target.email} out of all ${target.openSessions} open session(s) on every device? They can sign in again.`
            : ""
        }
        confirmLabel="End sessions"
        onConfirm={async () => {
          if (!target) return null;
          const result = await endUserSessionsAction(target.id);
          if (!result.ok) return result.error.message;
          setDone(`Ended ${result.value.ended} session(s) of ${target.email}.`);
          setTarget(null);
          router.refresh();
          return null;
        }}
      />
    </section>
  );
}
