import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { db } from "@/lib/db";
import { canView } from "@/lib/auth/assert-can";
import { dailyUsage, findApiKey, listKeyGroups } from "@/lib/api-keys/queries";
import { can, deniedReason, tenantRolesWith } from "@/lib/auth/permissions";
import { toKeyListItem } from "@/lib/api-keys/serialize";
import { tenantMembersWithRoles } from "@/lib/tenants/queries";
import { ReadOnlyBanner } from "../_components/read-only-banner";
import { KeyActions } from "./key-actions";
import { keyWarnings } from "@/lib/api-keys/where";
import { keyEvents } from "@/lib/audit/queries";
import { tenantKeySettings } from "@/lib/tenants/queries";
import { displayStatus } from "@/lib/api-keys/status";
import { AUDIT_ACTION_LABELS, type AuditAction } from "@/lib/audit/actions";
import { formatDateTime } from "@/lib/format/dates";
import { StatusBadge } from "../_components/status-badge";
import { UsageChart } from "./usage-chart";
import { AutoRefresh } from "@/components/data-table/use-auto-refresh";
import { RequestLogSection } from "./request-log-section";
import { OwnerSection } from "./owner-section";
import { keyOwnerOptions } from "@/lib/service-accounts/queries";
import { describeWindow, limitValuesOf, windowsOf } from "@/lib/rate-limits/key-fields";
import { nextRefill, refillOf } from "@/lib/rate-limits/policy";

export const metadata: Metadata = { title: "API Key" };

const WARNING_TEXT = {
  expiring_soon: "In the last 20% of its lifetime (at most 7 days) before it expires: rotate it or generate a replacement.",
  idle: "Not used for 30 days or more: revoke it if nothing needs it.",
  needs_rotation: "Older than the tenant's rotation policy: rotate it.",
} as const;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
export default async function ApiKeyPage({ params, searchParams }: { params: Promise<{ keyId: string }>; searchParams: SearchParams }) {
  const { keyId } = await params;
  const context = await canView("keys.read", `/tenant-api-keys/${encodeURIComponent(keyId)}`);
  // Scoped by tenant: another tenant's key id is the same 404 as one that does not exist.
  const key = await findApiKey(db, context.tenant.id, keyId);
  if (!key) notFound();
  const now = new Date();
  const canManage = can(context.role, "keys.update");
  const [usage, events, tenant, groups, managers, owners] = await Promise.all([
    dailyUsage(db, key.id, 30, now),
    keyEvents(db, context.tenant.id, key.id),
    tenantKeySettings(db, context.tenant.id),
    canManage ? listKeyGroups(db, context.tenant.id) : [],
    canManage ? [] : tenantMembersWithRoles(db, context.tenant.id, tenantRolesWith("keys.update")),
    canManage ? keyOwnerOptions(db, context.tenant.id) : undefined,
  ]);
  const readOnly = deniedReason(context.role, "keys.update");
  const item = toKeyListItem(key, now, tenant.rotationPolicyDays);
  const warnings = keyWarnings(key, tenant.rotationPolicyDays, now);
  const timeline = [
    { id: "created", label: "Created", at: key.createdAt, by: null as string | null },
    ...events.filter((e) => e.action !== "api_key.created").map((e) => ({
      id: e.id,
      label: AUDIT_ACTION_LABELS[e.action as AuditAction] ?? e.action,
      at: e.createdAt,
      by: e.actorLabel,
    })),
  ];
  const createdEvent = events.find((e) => e.action === "api_key.created");
  if (createdEvent) timeline[0].by = createdEvent.actorLabel;
  // Who revoked the key and when: its audit event, or (a key written without one) its revokedAt.
  const revokedEvent = events.findLast((e) => e.action === "api_key.revoked");
  if (key.revokedAt && !revokedEvent) {
    timeline.push({ id: "revoked", label: AUDIT_ACTION_LABELS["api_key.revoked"], at: key.revokedAt, by: null });
  }
  const revocation = key.revokedAt ? { at: revokedEvent?.createdAt ?? key.revokedAt, by: revokedEvent?.actorLabel ?? null } : null;

  const limits = limitValuesOf(key, now.getTime());
  const groupWindows = windowsOf(key.group.rateLimits);
  const windows = limits.rateLimits ?? groupWindows ?? [];
  const refill = refillOf(key);
  const rateLimitText = windows.length
    ? `${windows.map(describeWindow).join(", ")}${limits.rateLimits === null ? " (from the group)" : ""}`
    : limits.rateLimits === null ? "None (the group has none)" : "None (this key is not rate limited)";
  const creditsText =
    limits.credits === null
      ? "Unlimited"
      : `${limits.credits.toLocaleString("en-US")} left` +
        (refill
          ? `; refilled to ${refill.amount.toLocaleString("en-US")} ${refill.interval === "daily" ? "daily" : `monthly on day ${refill.dayOfMonth}`}, next ${formatDateTime(new Date(nextRefill(refill, now.getTime())).toISOString())}`
          : "; no refill");

  const rows: [string, React.ReactNode][] = [
    ["Key prefix", <code key="p">{key.prefix}…</code>],
    ["Description", key.description || "—"],
    ["Authorization group", `${key.group.name} (${key.group.scopes.split(" ").join(", ")})`],
    ["IP allowlist", key.ipAllowlist ? <pre key="ip" className="font-mono text-xs">{key.ipAllowlist}</pre> : "Any IP address"],
    ["Rate limits", rateLimitText],
    ["Credits", creditsText],
    ["Expires", key.expiresAt ? formatDateTime(key.expiresAt.toISOString()) : "Never"],
    ["Last used", key.lastUsedAt ? formatDateTime(key.lastUsedAt.toISOString()) : "Never used"],
  ];

  return (
    <div className="max-w-4xl space-y-6">
      {/* Last used and the chart follow live traffic without a reload. */}
      <AutoRefresh />
      <Link href="/tenant-api-keys" className="text-sm text-indigo-700 hover:underline">
        ← API Keys
      </Link>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          {/* Focusable from script only: where focus goes once the key's actions are gone (revoked). */}
          <h1 className="text-2xl font-semibold focus:outline-none" tabIndex={-1} data-key-heading>
            {key.name}
          </h1>
          <StatusBadge status={item.rotatingUntil ? "rotating" : displayStatus(key, now.getTime())} />
        </div>
        <KeyActions
          item={item}
          groups={groups}
          owners={owners}
          denied={{
            update: readOnly !== null,
            rotate: !can(context.role, "keys.rotate"),
            revoke: !can(context.role, "keys.revoke"),
            disable: !can(context.role, "keys.disable"),
          }}
        />
      </div>
      {item.rotatingUntil && (
        // What End overlap now would end (the list says the same in its status cell).
        <p data-testid="key-overlap" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-800">
          Rotating: the previous secret <code>{item.previousSecret?.prefix ?? "?"}…</code> still works until{" "}
          {formatDateTime(item.rotatingUntil)}; last used{" "}
          {item.previousSecret?.lastUsedAt ? formatDateTime(item.previousSecret.lastUsedAt) : "never since the rotation"}.
        </p>
      )}
      {revocation && (
        <p data-testid="key-revocation" className="rounded-md border border-slate-200 bg-slate-50 px-4 py-2 text-sm text-slate-700">
          Revoked {formatDateTime(revocation.at.toISOString())}
          {revocation.by ? ` by ${revocation.by}` : ""}. It no longer authenticates.
        </p>
      )}
      {readOnly && key.status !== "revoked" && <ReadOnlyBanner reason={readOnly} managers={managers} />}
      {warnings.length > 0 && (
        <ul className="space-y-1 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-800">
          {warnings.map((w) => (
            <li key={w}>{WARNING_TEXT[w]}</li>
          ))}
        </ul>
      )}
      <section className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 className="font-semibold">Configuration</h2>
        <dl className="mt-3 grid grid-cols-[12rem_1fr] gap-x-4 gap-y-2 text-sm">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-slate-500">{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <OwnerSection keyRow={key} rotationPolicyDays={tenant.rotationPolicyDays} createdBy={timeline[0].by} now={now} />
      <section className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 className="font-semibold">Requests in the last 30 days</h2>
        <UsageChart usage={usage} />
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-5">
        <div className="flex items-center justify-between">
          <h2 className="font-semibold">Status timeline</h2>
          <Link href={`/audit-log?key=${encodeURIComponent(key.id)}`} className="text-sm text-indigo-700 hover:underline">
            Full history in the audit log
          </Link>
        </div>
        <ol className="mt-3 space-y-2 text-sm">
          {timeline.map((entry) => (
            <li key={entry.id} className="flex gap-3">
              <span className="w-44 shrink-0 text-slate-500">{formatDateTime(entry.at.toISOString())}</span>
              <span className="font-medium">{entry.label}</span>
              {entry.by && <span className="text-slate-500">by {entry.by}</span>}
            </li>
          ))}
        </ol>
      </section>
      <RequestLogSection tenantId={context.tenant.id} keyId={key.id} searchParams={await searchParams} />
    </div>
  );
}
