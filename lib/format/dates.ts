/**
 * Dates are shown in UTC with a relative hint computed against a `now` chosen by the server,
 * so that server and browser render the same text (no hydration mismatch across time zones).
 */
export function formatDateTime(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** The same with seconds ("2026-11-30 19:05:42 UTC"): the audit log, where order within a minute matters. */
export function formatDateTimeSeconds(iso: string | null): string {
  if (!iso) return "";
  const seconds = String(new Date(iso).getUTCSeconds()).padStart(2, "0");
  return formatDateTime(iso).replace(/ UTC$/, `:${seconds} UTC`);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

export function formatRelative(iso: string, nowMs: number): string {
  const diff = new Date(iso).getTime() - nowMs;
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return format.format(Math.trunc(diff / ms), unit);
  }
  return diff >= 0 ? "in less than a minute" : "just now";
}
