import Link from "next/link";

/** Counts of keys that need attention, each linking to the list filtered to them. */
export function WarningsBanner({
  warnings,
  rotationPolicyDays,
}: {
  warnings: { expiringSoon: number; idle: number; needsRotation: number };
  rotationPolicyDays: number;
}) {
  const items = [
    { count: warnings.expiringSoon, text: "expiring soon", href: "/tenant-api-keys?status=active&expiry=expiring_soon" },
    { count: warnings.idle, text: "unused for 30 days or more", href: "/tenant-api-keys?flag=idle" },
    { count: warnings.needsRotation, text: `older than the ${rotationPolicyDays}-day rotation policy`, href: "/tenant-api-keys?flag=needs_rotation" },
  ].filter((item) => item.count > 0);
  if (items.length === 0) return null;
  return (
    <div role="region" aria-label="Keys needing attention" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-medium">Keys needing attention</p>
      <ul className="mt-1 flex flex-wrap gap-x-6 gap-y-1">
        {items.map((item) => (
          <li key={item.href}>
            <Link href={item.href} className="underline underline-offset-2 hover:text-amber-700">
              {item.count} {item.count === 1 ? "key" : "keys"} {item.text}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
