export const input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/** The outcome of the last form post, carried in the URL (?notice= / ?error=). */
export function Notice({ query }: { query: Record<string, string | string[] | undefined> }) {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const error = one(query.error)?.slice(0, 500);
  const notice = one(query.notice)?.slice(0, 200);
  if (error) return <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800">{error}</p>;
  if (notice) return <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-2 text-sm text-emerald-800">{notice}</p>;
  return null;
}
