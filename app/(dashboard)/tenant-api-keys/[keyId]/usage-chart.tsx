import type { DailyUsage } from "@/lib/api-keys/queries";

// Stacked bottom to top: successes, then each kind of refusal.
const SERIES = [
  { field: "success", label: "successful", className: "fill-emerald-500", swatch: "bg-emerald-500" },
  { field: "failure", label: "refused (scope or IP)", className: "fill-red-500", swatch: "bg-red-500" },
  { field: "rateLimited", label: "rate limited", className: "fill-amber-500", swatch: "bg-amber-500" },
  { field: "usageExceeded", label: "out of credits", className: "fill-violet-500", swatch: "bg-violet-500" },
] as const;

/** Stacked daily bars, plain SVG with a table for screen readers. */
export function UsageChart({ usage }: { usage: DailyUsage[] }) {
  const sum = (d: DailyUsage) => SERIES.reduce((n, s) => n + d[s.field], 0);
  const max = Math.max(1, ...usage.map(sum));
  const totals = SERIES.map((s) => usage.reduce((n, d) => n + d[s.field], 0));
  const width = 600;
  const height = 120;
  const bar = width / usage.length;
  return (
    <div className="mt-3">
      <p className="text-sm text-slate-600">
        {SERIES.map((s, i) => (
          <span key={s.field} className="mr-4 inline-block">
            <span className={`mr-1 inline-block size-2.5 rounded-sm ${s.swatch}`} aria-hidden="true" />
            {totals[i]} {s.label}
          </span>
        ))}
      </p>
      <svg viewBox={`0 0 ${width} ${height}`} className="mt-2 h-32 w-full" role="img" aria-label="Daily requests, last 30 days">
        {usage.map((d, i) => {
          let top = height;
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${SERIES.map((s) => `${d[s.field]} ${s.label}`).join(", ")}`}</title>
              {SERIES.map((s) => {
                const h = (d[s.field] / max) * (height - 4);
                top -= h;
                return <rect key={s.field} x={i * bar + 1} y={top} width={bar - 2} height={h} className={s.className} />;
              })}
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
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
              <td>{d.success}</td>
              <td>{d.failure}</td>
              <td>{d.rateLimited}</td>
              <td>{d.usageExceeded}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
