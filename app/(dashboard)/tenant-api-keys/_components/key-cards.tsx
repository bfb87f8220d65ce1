"use client";

import { Fragment, type ReactNode } from "react";
import Link from "next/link";
import { formatDateTime, formatRelative } from "@/lib/format/dates";
import type { KeyListItem } from "@/lib/api-keys/serialize";
import { CreditsText, ExpiresText, GroupText, KeyOwners, KeyPrefix, KeyWarnings, LastUsedText } from "./columns";
import { KeyStateCell } from "./key-state-cell";
import { TypeBadge } from "./type-badge";

/** The key list on a phone: one card per key, the same facts and actions as a table row. */
export function KeyCards({
  rows,
  nowMs,
  renderActions,
  className,
  groupHeader,
}: {
  rows: KeyListItem[];
  /** The grouped view's header above a card (group-header.tsx), or null in the same group. */
  groupHeader?: (item: KeyListItem, previous: KeyListItem | undefined) => ReactNode | null;
  nowMs: number;
  renderActions: (item: KeyListItem) => ReactNode;
  className: string;
}) {
  // No rows: DataTable shows its table, with the one "no match" row, at every width.
  if (rows.length === 0) return null;
  return (
    <ul aria-label="API keys" className={`space-y-3 ${className}`}>
      {rows.map((item, i) => {
        const header = groupHeader?.(item, rows[i - 1]);
        return (
          <Fragment key={item.id}>
            {header && (
              <li data-group-header="" className="px-1 pt-2 text-sm font-semibold text-slate-700">
                {header}
              </li>
            )}
            <li data-key-id={item.id} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
              <div className="flex items-start justify-between gap-3">
                <div className="min-w-0">
                  {item.kind === "token" ? (
                    <span className="font-medium break-words text-slate-900">
                      {item.name} <TypeBadge />
                    </span>
                  ) : (
                    <Link href={`/tenant-api-keys/${item.id}`} className="font-medium break-words text-slate-900 hover:underline">
                      {item.name}
                    </Link>
                  )}
                  <div>
                    <KeyPrefix prefix={item.prefix} />
                  </div>
                  <KeyOwners item={item} />
                </div>
                <KeyStateCell item={item} nowMs={nowMs} />
              </div>
              <KeyWarnings item={item} />
              {item.description && <p className="mt-1 text-xs break-words text-slate-500">{item.description}</p>}
              <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-xs">
                <Fact term="Authorization group">
                  <GroupText item={item} />
                </Fact>
                <Fact term="Credits">
                  <CreditsText item={item} />
                </Fact>
                <Fact term="Expires">
                  <ExpiresText item={item} nowMs={nowMs} />
                </Fact>
                <Fact term="Last used">
                  <LastUsedText item={item} nowMs={nowMs} />
                </Fact>
                <Fact term="Created">
                  <span title={formatDateTime(item.createdAt)}>{formatRelative(item.createdAt, nowMs)}</span>
                </Fact>
              </dl>
              <div className="mt-3 flex justify-end border-t border-slate-100 pt-2">{renderActions(item)}</div>
            </li>
          </Fragment>
        );
      })}
    </ul>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-slate-500">{term}</dt>
      <dd className="text-slate-800">{children}</dd>
    </div>
  );
}
