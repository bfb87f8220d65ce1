"use client";

import type { PageGroup } from "@/lib/api-keys/grouped";
import type { ApiKeyListParams } from "@/lib/api-keys/schemas";
import type { KeyListItem } from "@/lib/api-keys/serialize";

type GroupBy = NonNullable<ApiKeyListParams["groupBy"]>;

/** The id a row is grouped by (lib/api-keys/grouped.ts groupIdOf, for the client's rows). */
function groupOf(item: KeyListItem, groupBy: GroupBy): string | null {
  return (groupBy === "environment" ? item.environment?.id : item.serviceAccount?.id) ?? null;
}

/**
 * The grouped list's header rows. The server orders the page by group and counts each group on
 * the list's filters; this says, for a row, whether a header goes above it (the first row of the
 * page, or a new group) and what it reads. Not TanStack's grouping: its grouped row model
 * groups and counts only the rows of the one page it holds, where the header must show the
 * group's whole count and reappear when the group runs on from the page before.
 */
export function groupHeaders(groupBy: GroupBy | undefined, groups: PageGroup[] | null) {
  if (!groupBy || !groups) return undefined;
  const byId = new Map(groups.map((g) => [g.id, g]));
  return function header(item: KeyListItem, previous: KeyListItem | undefined) {
    const id = groupOf(item, groupBy);
    if (previous && groupOf(previous, groupBy) === id) return null;
    const group = byId.get(id);
    const name = group?.name ?? (groupBy === "environment" ? item.environment?.name : item.serviceAccount?.name);
    const label = name ?? (groupBy === "environment" ? "No environment" : "No service account");
    const count = group?.count;
    return (
      <span data-group={id ?? "none"} className="flex flex-wrap items-baseline gap-x-2">
        <span data-testid="group-name">{label}</span>
        {count !== undefined && (
          <span data-testid="group-count" className="text-xs font-normal text-slate-500">
            {count} {count === 1 ? "key" : "keys"}
          </span>
        )}
        {group?.continued && <span className="text-xs font-normal text-slate-500">(continued)</span>}
      </span>
    );
  };
}
