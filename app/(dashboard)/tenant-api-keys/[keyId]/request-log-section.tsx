import Link from "next/link";
import { db } from "@/lib/db";
import { formatDateTime } from "@/lib/format/dates";
import { tokenDisplayPrefix } from "@/lib/tokens/presets";
import { parseRequestLogFilters } from "@/lib/request-log/schemas";
import { requestLogHints, requestLogPage } from "@/lib/request-log/queries";
import { OUTCOME_LABELS, REQUEST_OUTCOMES, type RequestOutcome } from "@/lib/request-log/types";

type Props = { tenantId: string; keyId: string; searchParams: Record<string, string | string[] | undefined> };

const input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

/**
 * An entry of a signed token exchanged from this key (RequestLog.tokenId): the token's display
 * prefix as the key list shows tokens, its whole jti on hover and for screen readers.
 */
function TokenBadge({ jti }: { jti: string }) {
  return (
    <span
      data-testid="token-badge"
      title={`Signed token, jti ${jti}`}
      className="mr-1.5 inline-flex items-center gap-1 rounded bg-violet-100 px-1.5 py-0.5 align-middle font-sans text-[11px] font-medium text-violet-800"
    >
      Token <span className="font-mono">{tokenDisplayPrefix(jti)}…</span>
      <span className="sr-only">(jti {jti})</span>
    </span>
  );
}

/**
 * The key's request log (lib/request-log/): newest first, filtered by outcome, key or token
 * (the key itself or a signed token exchanged from it), address and time (a plain GET form: the
 * filters live in the URL and work without JavaScript), with CSV export of the same filters, and the hints for new addresses and failure spikes. Entries of signed
 * tokens exchanged from the key carry a Token badge (the CSV has their token_id).
 */
export async function RequestLogSection({ tenantId, keyId, searchParams }: Props) {
  const { filters, errors } = parseRequestLogFilters(searchParams);
  const [page, hints] = await Promise.all([
    requestLogPage(db, tenantId, keyId, filters ?? {}),
    requestLogHints(db, tenantId, keyId),
  ]);
  const base = `/tenant-api-keys/${encodeURIComponent(keyId)}`;
  const query = new URLSearchParams();
  for (const name of ["outcome", "via", "ip", "from", "to"]) if (filters && one(searchParams[name])) query.set(name, one(searchParams[name]));
  const exportHref = `${base}/requests${query.size ? `?${query}` : ""}`;
  const nextHref = page.next ? `${base}?${new URLSearchParams([...query, ["before", page.next]])}#request-log` : null;

  return (
    <section id="request-log" aria-labelledby="request-log-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <div className="flex items-center justify-between">
        <h2 id="request-log-title" className="font-semibold">Request log</h2>
        <a href={exportHref} className="text-sm text-indigo-700 hover:underline" download>
          Export CSV
        </a>
      </div>
      {(hints.newAddresses.length > 0 || hints.spikes.length > 0) && (
        <ul aria-label="Request log hints" className="mt-3 space-y-1 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-800">
          {hints.newAddresses.map((a) => (
            <li key={`ip-${a.ip}`}>
              New address <code>{a.ip}</code>: first seen {formatDateTime(a.firstSeen.toISOString())}, not seen in the 30 days before ({a.requests} {a.requests === 1 ? "request" : "requests"}).{" "}
              <Link className="underline" href={`${base}?ip=${encodeURIComponent(a.ip)}#request-log`}>Show its requests</Link>
            </li>
          ))}
          {hints.spikes.map((s) => (
            <li key={`spike-${s.hour.getTime()}`}>
              Failure spike: {s.failures} failed requests in the hour from {formatDateTime(s.hour.toISOString())}.
            </li>
          ))}
        </ul>
      )}
      <form method="get" action={`${base}#request-log`} className="mt-3 flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          Outcome
          <select name="outcome" defaultValue={one(searchParams.outcome)} className={input}>
            <option value="">Any</option>
            {REQUEST_OUTCOMES.map((o) => (
              <option key={o} value={o}>{OUTCOME_LABELS[o]}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Key / Token
          <select name="via" defaultValue={one(searchParams.via)} className={input}>
            <option value="">All</option>
            <option value="key">Key</option>
            <option value="token">Token</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Client address
          <input name="ip" defaultValue={one(searchParams.ip)} placeholder="203.0.113.7" className={input} aria-invalid={errors.ip ? true : undefined} />
        </label>
        <label className="flex flex-col gap-1">
          From (UTC)
          <input type="datetime-local" name="from" defaultValue={one(searchParams.from)} className={input} />
        </label>
        <label className="flex flex-col gap-1">
          To (UTC)
          <input type="datetime-local" name="to" defaultValue={one(searchParams.to)} className={input} />
        </label>
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700">Apply</button>
        <Link href={`${base}#request-log`} className="py-1.5 text-indigo-700 hover:underline">Clear</Link>
      </form>
      {Object.keys(errors).length > 0 && (
        <p role="alert" className="mt-2 text-sm text-red-700">{Object.values(errors).join(" ")} The log below is unfiltered.</p>
      )}
      {page.rows.length === 0 ? (
        <p className="mt-4 text-sm text-slate-500">No requests {filters && query.size ? "match these filters" : "recorded yet"}.</p>
      ) : (
        <div className="mt-4 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 pr-3 font-medium">Time</th>
                <th className="py-1 pr-3 font-medium">Outcome</th>
                <th className="py-1 pr-3 font-medium">Address</th>
                <th className="py-1 pr-3 font-medium">Request</th>
                <th className="py-1 pr-3 font-medium">User agent</th>
                <th className="py-1 font-medium">Request ID</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.id} className="border-t border-slate-100">
                  <td className="whitespace-nowrap py-1 pr-3">{formatDateTime(r.at.toISOString())}</td>
                  <td className={`py-1 pr-3 ${r.outcome === "VALID" ? "text-emerald-700" : "text-red-700"}`}>{OUTCOME_LABELS[r.outcome as RequestOutcome] ?? r.outcome}</td>
                  <td className="py-1 pr-3 font-mono text-xs">{r.clientIp ?? "—"}</td>
                  <td className="py-1 pr-3 font-mono text-xs">
                    {r.tokenId && <TokenBadge jti={r.tokenId} />}
                    {r.method || r.path ? `${r.method ?? ""} ${r.path ?? ""}` : r.source === "verify" ? "via /v1/keys/verify" : "—"}
                  </td>
                  <td className="max-w-[14rem] truncate py-1 pr-3 text-xs" title={r.userAgent ?? undefined}>{r.userAgent ?? "—"}</td>
                  <td className="py-1 font-mono text-xs">{r.requestId}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {nextHref && (
            <Link href={nextHref} className="mt-3 inline-block text-sm text-indigo-700 hover:underline">Older requests</Link>
          )}
        </div>
      )}
    </section>
  );
}
