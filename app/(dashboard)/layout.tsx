import Link from "next/link";
import { cookies } from "next/headers";
import { getTenantContext } from "@/lib/auth/session";
import { roleLabel } from "@/lib/auth/permissions";
import { SignOutButton } from "./_components/sign-out-button";
import { TenantSwitcher } from "./_components/tenant-switcher";
import { SidebarNav } from "./_components/sidebar-nav";
import { MobileNav } from "./_components/mobile-nav";
import { ThemeToggle } from "./_components/theme-toggle";
import { THEME_COOKIE, themeChoice } from "@/lib/theme";
import { AssistantLauncher } from "./_assistant/assistant-launcher";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const context = await getTenantContext();
  // Signed out: the page itself redirects to sign-in with its own return path.
  if (!context) return <>{children}</>;
  const theme = themeChoice((await cookies()).get(THEME_COOKIE)?.value);

  return (
    <div className="flex min-h-screen">
      {/* Below 1024 px the sidebar is MobileNav's drawer instead. */}
      <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white lg:block">
        <Link href="/tenant-api-keys" className="block px-5 py-4 text-lg font-semibold text-indigo-700">
          Keyward
        </Link>
        <SidebarNav isSuperUser={context.user.isSuperUser} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 border-b border-slate-200 bg-white px-4 py-3 sm:px-6">
          <div className="flex min-w-0 items-center gap-3 text-sm">
            <MobileNav isSuperUser={context.user.isSuperUser} />
            {context.tenants.length > 1 ? (
              <TenantSwitcher tenants={context.tenants} currentId={context.tenant.id} />
            ) : (
              <span className="font-medium" data-testid="current-tenant">
                {context.tenant.name}
              </span>
            )}
            <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700" data-testid="current-role">
              {roleLabel(context.role)}
            </span>
          </div>
          <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
            <ThemeToggle initial={theme} />
            <AssistantLauncher />
            <SignOutButton email={context.user.email} />
          </div>
        </header>
        <main className="min-w-0 flex-1 p-4 sm:p-6">{children}</main>
      </div>
    </div>
  );
}
