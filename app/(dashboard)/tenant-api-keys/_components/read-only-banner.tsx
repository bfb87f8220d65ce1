export type KeyManager = { name: string | null; email: string; role: string };

/** The read-only reason and whom to ask, in one sentence ("Ask Olivia Owner (owner@acme.test) or …"). */
export function readOnlyText(reason: string, managers: KeyManager[]): string {
  if (managers.length === 0) return reason;
  const people = managers.map((m) => (m.name ? `${m.name} (${m.email})` : m.email));
  const list = people.length === 1 ? people[0] : `${people.slice(0, -1).join(", ")} or ${people.at(-1)}`;
  return `${reason} Ask ${list}.`;
}

/**
 * The one read-only message of a key page: why the role cannot change keys and which of the
 * tenant's owners and admins can (tenantRolesWith, from the permission map). Disabled
 * controls point at it (aria-describedby) rather than repeating it.
 */
export function ReadOnlyBanner({ id = "read-only-banner", reason, managers }: { id?: string; reason: string; managers: KeyManager[] }) {
  return (
    <p
      id={id}
      role="note"
      data-testid="read-only-banner"
      className="rounded-md border border-slate-200 bg-white px-4 py-2 text-sm text-slate-700"
    >
      {readOnlyText(reason, managers)}
    </p>
  );
}
