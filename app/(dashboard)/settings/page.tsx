import type { Metadata } from "next";
import Link from "next/link";
import { canView } from "@/lib/auth/assert-can";
import { deniedReason } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { listGroupLimits } from "@/lib/rate-limits/group-limits";
import { GroupLimitsSection } from "./_components/group-limits-section";
import { SETTINGS_GROUPS } from "../_components/settings-nav";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const context = await canView("settings.read", "/settings");
  const groups = await listGroupLimits(db, context.tenant.id);
  return (
    <div className="max-w-3xl">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <p className="mt-1 text-sm text-slate-600">Settings of {context.tenant.name}.</p>
      {SETTINGS_GROUPS.map((group) => (
        <section key={group.label} className="mt-6 rounded-lg border border-slate-200 bg-white p-5">
          <h2 className="text-base font-semibold">{group.label}</h2>
          <ul className="mt-3 space-y-2">
            {group.links.map((link) => (
              <li key={link.href}>
                <Link href={link.href} className="text-indigo-700 underline-offset-2 hover:underline">
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <GroupLimitsSection groups={groups} denied={deniedReason(context.role, "groups.update")} />
    </div>
  );
}
