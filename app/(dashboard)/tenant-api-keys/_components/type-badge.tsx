/** Marks a signed token (JWT) among the keys of the list. */
export function TypeBadge() {
  return (
    <span data-testid="jwt-badge" className="ml-1 rounded bg-violet-100 px-1.5 py-0.5 align-middle text-[11px] font-medium text-violet-800">
      JWT
    </span>
  );
}
