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
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-500">
          <tr>
            <th className="py-2 font-medium">User</th>
            <th className="py-2 font-medium">Open sessions</th>
            <th className="py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className="border-b border-slate-100">
              <td className="py-2">
                <div className="font-medium">{row.email}</div>
                <div className="text-xs text-slate-500">
                  {row.name}
                  {row.isSuperUser ? " · super user" : ""}
                </div>
              </td>
              <td className="py-2" data-testid={`open-sessions-${row.email}`}>
                {row.openSessions}
              </td>
              <td className="py-2 text-right">
                <Button
                  variant="secondary"
                  disabled={row.openSessions === 0}
                  aria-label={`End sessions of ${row.email}`}
                  onClick={() => setTarget(row)}
                >
                  End sessions
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
