import Link from "next/link";
import type { ApiKeyRow } from "@/lib/api-keys/row";
import { formatDateTime } from "@/lib/format/dates";

const DAY = 86_400_000;

/** When a key is due for rotation: its last rotation (or creation) plus the tenant's policy. */
export function rotationDue(key: Pick<ApiKeyRow, "createdAt" | "rotatedAt">, policyDays: number): Date {
  return new Date((key.rotatedAt ?? key.createdAt).getTime() + policyDays * DAY);
}

/**
 * Owner and rotation (issue 15, the seed's "document key owner and rotation date"): the service
 * account and the person who answers for it, the environment, created, last rotated, and the
 * next rotation due by the tenant's policy, flagged when it is overdue.
 */
export function OwnerSection({ keyRow, rotationPolicyDays, createdBy, now }: { keyRow: ApiKeyRow; rotationPolicyDays: number; createdBy: string | null; now: Date }) {
  const due = rotationDue(keyRow, rotationPolicyDays);
  const overdue = keyRow.status === "active" && due.getTime() <= now.getTime();
  // A revoked key is never rotated again: a due date would read as a task.
  const revoked = keyRow.status === "revoked";
  const account = keyRow.serviceAccount;
  const rows: [string, React.ReactNode][] = [
    ["Service account", account ? <Link key="sa" href={`/service-accounts/${account.id}`} className="text-indigo-700 hover:underline">{account.name}</Link> : "None"],
    ["Owner", account ? `${account.owner.name} (${account.owner.email})` : createdBy ? `${createdBy} (created it)` : "Unknown"],
    ["Environment", keyRow.environment?.name ?? "None"],
    ["Created", formatDateTime(keyRow.createdAt.toISOString())],
    ["Last rotated", keyRow.rotatedAt ? formatDateTime(keyRow.rotatedAt.toISOString()) : "Never"],
    [
      "Next rotation due",
      revoked ? (
        "Not due: the key is revoked"
      ) : (
        <span key="due" className={overdue ? "font-medium text-red-700" : undefined}>
          {formatDateTime(due.toISOString())} (every {rotationPolicyDays} days){overdue ? " · Overdue: rotate it" : ""}
        </span>
      ),
    ],
  ];
  return (
    <section aria-labelledby="owner-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="owner-title" className="font-semibold">Owner and rotation</h2>
      <dl className="mt-3 grid grid-cols-[12rem_1fr] gap-x-4 gap-y-2 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500">{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
