"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import type { TenantChoice } from "@/lib/auth/session";
import { switchTenant } from "../actions";

export function TenantSwitcher({ tenants, currentId }: { tenants: TenantChoice[]; currentId: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <label className="flex items-center gap-2">
      <span className="text-slate-600">Tenant</span>
      <select
        aria-label="Tenant"
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
        value={currentId}
        disabled={pending}
        onChange={(event) => {
          const tenantId = event.target.value;
          startTransition(async () => {
            await switchTenant(tenantId);
            router.refresh();
          });
        }}
      >
        {tenants.map((tenant) => (
          <option key={tenant.id} value={tenant.id}>
            {tenant.name}
          </option>
        ))}
      </select>
    </label>
  );
}
