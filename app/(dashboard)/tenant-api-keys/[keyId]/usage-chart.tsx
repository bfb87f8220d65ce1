import type { DailyUsage } from "@/lib/api-keys/queries";

// Stacked bottom to top: successes, then each kind of refusal.
const SERIES = [
  { field: "success", label: "successful", className: "fill-emerald-500", swatch: "bg-emerald-500" },
  { field: "failure", label: "refused (scope or IP)", className: "fill-red-500", swatch: "bg-red-500" },
  { field: "rateLimited", label: "rate limited", className: "fill-amber-500", swatch: "bg-amber-500" },
  { field: "usageExceeded", label: "out of credits", className: "fill-violet-500", swatch: "bg-violet-500" },
] as const;

/** 14,595 rather than 14595: every count the chart prints. */
const count = (n: number) => n.toLocaleString("en-US");

/** "Nov 3" for a "2026-11-03" UTC day. */
const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** A round top for the y axis (1, 2 or 5 times a power of ten) at or above `max`. */
function niceCeiling(max: number): number {
  if (max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((m) => m * power >= max) ?? 10;
  return step * power;
}

/** Stacked daily bars in plain SVG, with a y axis of requests, dated x axis, and a table for screen readers. */
export function UsageChart({ usage }: { usage: DailyUsage[] }) {
  const sum = (d: DailyUsage) => SERIES.reduce((n, s) => n + d[s.field], 0);
  const top = niceCeiling(Math.max(0, ...usage.map(sum)));
  const totals = SERIES.map((s) => usage.reduce((n, d) => n + d[s.field], 0));
  const [left, right, upper, bottom] = [56, 8, 8, 22];
  const width = 640;
  const height = 180;
  const plotW = width - left - right;
  const plotH = height - upper - bottom;
  const bar = plotW / Math.max(1, usage.length);
  const y = (value: number) => upper + plotH - (value / top) * plotH;
  const ticks = [0, top / 2, top];
  // A date under the first bar, every 7th after it, and the last; a 7th closer than 3 bars to the
  // last is left out (a date is about 2 bars wide: day 28's overlapped day 29's).
  const last = usage.length - 1;
  const dated = usage.map((d, i) => ({ d, i })).filter(({ i }) => (i % 7 === 0 && last - i >= 3) || i === last);
  return (
    <div className="mt-3">
      <p className="text-sm text-slate-600" data-testid="usage-totals">
        {SERIES.map((s, i) => (
          <span key={s.field} className="mr-4 inline-block">
            <span className={`mr-1 inline-block size-2.5 rounded-sm ${s.swatch}`} aria-hidden="true" />
            {count(totals[i])} {s.label}
          </span>
        ))}
      </p>
      <svg viewBox={`0 0 ${width} ${height}`} className="mt-2 w-full" role="img" aria-label={`Daily requests, ${shortDay(usage[0]?.day ?? "1970-01-01")} to ${shortDay(usage.at(-1)?.day ?? "1970-01-01")}`}>
        <g data-testid="usage-y-axis" className="fill-slate-500 text-[10px]">
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={left} x2={width - right} y1={y(tick)} y2={y(tick)} className="stroke-slate-200" strokeWidth={1} />
              <text x={left - 6} y={y(tick) + 3} textAnchor="end">
                {count(tick)}
              </text>
            </g>
          ))}
          <text x={12} y={upper + plotH / 2} textAnchor="middle" transform={`rotate(-90 12 ${upper + plotH / 2})`}>
            Requests
          </text>
        </g>
        {usage.map((d, i) => {
          let stackTop = upper + plotH;
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${SERIES.map((s) => `${count(d[s.field])} ${s.label}`).join(", ")}`}</title>
              {SERIES.map((s) => {
                const h = (d[s.field] / top) * plotH;
                stackTop -= h;
                return <rect key={s.field} x={left + i * bar + 1} y={stackTop} width={Math.max(1, bar - 2)} height={h} className={s.className} />;
              })}
            </g>
          );
        })}
        <g data-testid="usage-x-axis" className="fill-slate-500 text-[10px]">
          <line x1={left} x2={width - right} y1={upper + plotH} y2={upper + plotH} className="stroke-slate-400" strokeWidth={1} />
          {dated.map(({ d, i }) => (
            <text key={d.day} x={left + i * bar + bar / 2} y={height - 6} textAnchor="middle">
              {shortDay(d.day)}
            </text>
          ))}
        </g>
      </svg>
      {/* The wrapper is what hides the table: overflow does not clip a table box, so an sr-only
          table's 30 rows still stretched the page and left a blank scroll at its bottom. */}
      <div className="sr-only">
      <table>
        <caption>Daily requests</caption>
        <thead>
          <tr>
            <th>Day</th>
            <th>Successful</th>
            <th>Refused</th>
            <th>Rate limited</th>
            <th>Out of credits</th>
          </tr>
        </thead>
        <tbody>
          {usage.map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td>{count(d.success)}</td>
              <td>{count(d.failure)}</td>
              <td>{count(d.rateLimited)}</td>
              <td>{count(d.usageExceeded)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </div>
  );
}
