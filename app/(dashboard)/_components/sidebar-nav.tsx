"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { SETTINGS_GROUPS } from "./settings-nav";


function linkClass(active: boolean) {
  return `block rounded-md px-3 py-1.5 text-sm ${
    active ? "bg-indigo-50 font-medium text-indigo-700" : "text-slate-700 hover:bg-slate-100"
  }`;
}

export function SidebarNav({ isSuperUser }: { isSuperUser: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="px-3 pb-6">
      <Link href="/settings" className={linkClass(pathname === "/settings")} aria-current={pathname === "/settings" ? "page" : undefined}>
        Settings
      </Link>
      {isSuperUser && (
        <Link href="/admin" className={linkClass(pathname === "/admin")} aria-current={pathname === "/admin" ? "page" : undefined}>
          Admin: Tenants
        </Link>
      )}
      {isSuperUser && (
        <Link href="/admin/root-keys" className={linkClass(pathname === "/admin/root-keys")} aria-current={pathname === "/admin/root-keys" ? "page" : undefined}>
          Admin: Root keys
        </Link>
      )}
      {SETTINGS_GROUPS.map((group) => (
        <div key={group.label} className="mt-3 pl-3">
          <p className="px-3 text-xs font-semibold uppercase tracking-wide text-slate-500">{group.label}</p>
          <ul className="mt-1 space-y-0.5">
            {group.links.map((link) => {
              const active = pathname === link.href || pathname.startsWith(link.href + "/");
              return (
                <li key={link.href}>
                  <Link href={link.href} className={linkClass(active)} aria-current={active ? "page" : undefined}>
                    {link.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
