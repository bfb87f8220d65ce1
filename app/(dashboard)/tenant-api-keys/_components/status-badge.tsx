import type { KeyDisplayStatus } from "@/lib/api-keys/status";

const STYLES: Record<KeyDisplayStatus, string> = {
  active: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  revoked: "bg-red-50 text-red-800 ring-red-600/20",
  expired: "bg-slate-100 text-slate-700 ring-slate-500/20",
};

const LABELS: Record<KeyDisplayStatus, string> = { active: "Active", revoked: "Revoked", expired: "Expired" };

export function StatusBadge({ status }: { status: KeyDisplayStatus }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}>
      {LABELS[status]}
    </span>
  );
}
