"use client";

import { formatDateTime, formatRelative } from "@/lib/format/dates";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { StatusBadge } from "./status-badge";

/**
 * The list's status cell, kept to at most three short lines that never wrap: the badge and,
 * while a rotation overlap runs, the previous secret's prefix, its last use and when it stops
 * working (the full times in the title); a disabled key says since when.
 */
export function KeyStateCell({ item, nowMs }: { item: KeyListItem; nowMs: number }) {
  if (item.status === "active" && item.rotatingUntil) {
    const previous = item.previousSecret;
    const lastUsed = previous?.lastUsedAt ? `used ${formatRelative(previous.lastUsedAt, nowMs)}` : "no use since rotation";
    const title = `Previous secret ${previous?.prefix ?? ""}… still works until ${formatDateTime(item.rotatingUntil)}; last used ${
      previous?.lastUsedAt ? formatDateTime(previous.lastUsedAt) : "never since the rotation"
    }.`;
    return (
      <div className="whitespace-nowrap text-xs leading-5" title={title} data-testid="rotation-overlap">
        <StatusBadge status="rotating" />
        <div className="text-slate-600">
          old <code className="font-mono">{previous?.prefix ?? "?"}…</code> {lastUsed}
        </div>
        <div className="text-amber-800">ends {formatRelative(item.rotatingUntil, nowMs)}</div>
      </div>
    );
  }
  if (item.status === "disabled") {
    return (
      <span title={item.disabledAt ? `Disabled ${formatDateTime(item.disabledAt)}: refused until re-enabled` : undefined}>
        <StatusBadge status="disabled" />
      </span>
    );
  }
  return <StatusBadge status={item.status} />;
}
