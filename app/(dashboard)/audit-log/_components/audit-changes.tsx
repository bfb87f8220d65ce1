"use client";

/** One line of "what changed": a field, and its value before and after (either may be absent). */
export type AuditChange = { field: string; from?: unknown; to: unknown };

const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  description: "Description",
  authorizationGroup: "Authorization group",
  ipAllowlist: "IP allowlist",
  rateLimits: "Rate limits",
  credits: "Credits",
  creditsRefill: "Credits refill",
  prefix: "Key prefix",
  expiresAt: "Expires",
  previousValidUntil: "Old secret valid until",
  count: "Keys revoked",
};

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(none)";
  if (typeof value === "string") return value.replace(/\n/g, ", ");
  if (typeof value === "number") return value.toLocaleString("en-US");
  return JSON.stringify(value);
}

/**
 * The changes an audit event records, read from its details: an edit's `changes` (from -> to),
 * a rotation's prefix (old -> new), a creation's or revocation's facts. Empty when none.
 */
export function auditChanges(action: string, details: string | null, keyPrefix: string | null): AuditChange[] {
  let parsed: Record<string, unknown>;
  try {
    parsed = details ? (JSON.parse(details) as Record<string, unknown>) : {};
  } catch {
    return [];
  }
  if (action === "api_key.updated" && parsed.changes && typeof parsed.changes === "object") {
    return Object.entries(parsed.changes as Record<string, { from: unknown; to: unknown }>).map(([field, change]) => ({
      field,
      from: change?.from,
      to: change?.to,
    }));
  }
  if (action === "api_key.rotated") {
    return [
      { field: "prefix", from: parsed.previousPrefix ? `${parsed.previousPrefix}…` : undefined, to: keyPrefix ? `${keyPrefix}…` : null },
      ...(parsed.previousValidUntil ? [{ field: "previousValidUntil", to: parsed.previousValidUntil }] : []),
    ];
  }
  return Object.entries(parsed)
    .filter(([field]) => field in FIELD_LABELS)
    .map(([field, to]) => ({ field, to }));
}

/** The changes in a disclosure (the row expands): "Name: Old → New". */
export function AuditChanges({ changes }: { changes: AuditChange[] }) {
  if (changes.length === 0) return <span className="text-slate-500">—</span>;
  const summary = changes.length === 1 ? `1 change` : `${changes.length} changes`;
  return (
    <details className="group max-w-md">
      <summary className="cursor-pointer text-xs text-indigo-700 hover:underline">{summary}</summary>
      <dl className="mt-2 space-y-1 text-xs" data-testid="audit-changes">
        {changes.map((change) => (
          <div key={change.field} className="flex flex-wrap gap-x-1">
            <dt className="font-medium text-slate-700">{FIELD_LABELS[change.field] ?? change.field}:</dt>
            <dd className="break-all text-slate-600">
              {"from" in change && change.from !== undefined ? (
                <>
                  <span>{show(change.from)}</span> <span aria-hidden="true">→</span>{" "}
                  <span className="sr-only">changed to</span> <span>{show(change.to)}</span>
                </>
              ) : (
                show(change.to)
              )}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
