import type { KeyDisplayStatus } from "@/lib/api-keys/status";

/** A key's status, or "rotating" (active, with a previous secret still valid). */
export type BadgeStatus = KeyDisplayStatus | "rotating";

const STYLES: Record<BadgeStatus, string> = {
  active: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  rotating: "bg-amber-50 text-amber-800 ring-amber-600/20",
  disabled: "bg-orange-50 text-orange-800 ring-orange-600/30",
  revoked: "bg-red-50 text-red-800 ring-red-600/20",
  expired: "bg-slate-100 text-slate-700 ring-slate-500/20",
};

const LABELS: Record<BadgeStatus, string> = {
  active: "Active",
  rotating: "Rotating",
  disabled: "Disabled",
  revoked: "Revoked",
  expired: "Expired",
};

export function StatusBadge({ status }: { status: BadgeStatus }) {
  return (
    <span className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}>
      {LABELS[status]}
    </span>
  );
}
