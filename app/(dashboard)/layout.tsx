import Link from "next/link";
import { getTenantContext } from "@/lib/auth/session";
import { roleLabel } from "@/lib/auth/permissions";
import { SignOutButton } from "./_components/sign-out-button";
import { TenantSwitcher } from "./_components/tenant-switcher";
import { SidebarNav } from "./_components/sidebar-nav";
import { AssistantLauncher } from "./_assistant/assistant-launcher";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const context = await getTenantContext();
  // Signed out: the page itself redirects to sign-in with its own return path.
  if (!context) return <>{children}</>;

  return (
    <div className="flex min-h-screen">
      <aside className="w-60 shrink-0 border-r border-slate-200 bg-white">
        <Link href="/tenant-api-keys" className="block px-5 py-4 text-lg font-semibold text-indigo-700">
          Keyward
        </Link>
        <SidebarNav isSuperUser={context.user.isSuperUser} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-6 py-3">
          <div className="flex items-center gap-3 text-sm">
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
          <div className="flex items-center gap-3 text-sm text-slate-600">
            <AssistantLauncher />
            <SignOutButton email={context.user.email} />
          </div>
        </header>
        <main className="flex-1 p-6">{children}</main>
      </div>
    </div>
  );
}
