import type { DailyUsage } from "@/lib/api-keys/queries";

/** Stacked daily bars (success below, failure above), plain SVG with a table for screen readers. */
export function UsageChart({ usage }: { usage: DailyUsage[] }) {
  const max = Math.max(1, ...usage.map((d) => d.success + d.failure));
  const total = usage.reduce((sum, d) => ({ success: sum.success + d.success, failure: sum.failure + d.failure }), { success: 0, failure: 0 });
  const width = 600;
  const height = 120;
  const bar = width / usage.length;
  return (
    <div className="mt-3">
      <p className="text-sm text-slate-600">
        <span className="mr-4">
          <span className="mr-1 inline-block size-2.5 rounded-sm bg-emerald-500" aria-hidden="true" />
          {total.success} successful
        </span>
        <span>
          <span className="mr-1 inline-block size-2.5 rounded-sm bg-red-500" aria-hidden="true" />
          {total.failure} refused (scope or IP)
        </span>
      </p>
      <svg viewBox={`0 0 ${width} ${height}`} className="mt-2 h-32 w-full" role="img" aria-label="Daily requests, last 30 days">
        {usage.map((d, i) => {
          const s = (d.success / max) * (height - 4);
          const f = (d.failure / max) * (height - 4);
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${d.success} successful, ${d.failure} refused`}</title>
              <rect x={i * bar + 1} y={height - s} width={bar - 2} height={s} className="fill-emerald-500" />
              <rect x={i * bar + 1} y={height - s - f} width={bar - 2} height={f} className="fill-red-500" />
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
          </tr>
        </thead>
        <tbody>
          {usage.map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td>{d.success}</td>
              <td>{d.failure}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
