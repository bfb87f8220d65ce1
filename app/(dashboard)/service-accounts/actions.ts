"use server";

// Service accounts and environments from the dashboard (issue 15). Every export is a public
// endpoint: each checks the session, the role and the tenant itself (withPermission) and takes
// no tenant id from the caller. Plain form posts: the outcome comes back in the URL.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { withPermission } from "@/lib/auth/action-context";
import { createServiceAccount, deleteServiceAccount, updateServiceAccount } from "@/lib/service-accounts/mutations";
import { createEnvironment, deleteEnvironment } from "@/lib/environments/mutations";
import type { Result } from "@/lib/result";

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

function explain<T>(result: Result<T>): string {
  if (result.ok) return "";
  const fields = Object.values(result.error.fieldErrors ?? {}).flat();
  return fields.length ? fields.join(" ") : result.error.message;
}

function back(path: string, result: Result<unknown>, done: string): never {
  revalidatePath("/service-accounts", "layout");
  revalidatePath("/tenant-api-keys", "layout");
  redirect(`${path}?${result.ok ? `notice=${encodeURIComponent(done)}` : `error=${encodeURIComponent(explain(result))}`}`);
}

export async function createServiceAccountAction(form: FormData) {
  const input = { name: field(form, "name"), description: field(form, "description"), ownerUserId: field(form, "ownerUserId") };
  const result = await withPermission("serviceAccounts.manage", (ctx) => createServiceAccount(db, ctx, input));
  back(result.ok ? `/service-accounts/${result.value.id}` : "/service-accounts", result, "Service account created.");
}

export async function updateServiceAccountAction(id: string, form: FormData) {
  const input = { name: field(form, "name"), description: field(form, "description"), ownerUserId: field(form, "ownerUserId") };
  const result = await withPermission("serviceAccounts.manage", (ctx) => updateServiceAccount(db, ctx, String(id), input));
  back(`/service-accounts/${encodeURIComponent(String(id))}`, result, "Saved.");
}

export async function deleteServiceAccountAction(id: string) {
  const result = await withPermission("serviceAccounts.manage", (ctx) => deleteServiceAccount(db, ctx, String(id)));
  back(result.ok ? "/service-accounts" : `/service-accounts/${encodeURIComponent(String(id))}`, result, "Service account deleted.");
}

export async function createEnvironmentAction(form: FormData) {
  const result = await withPermission("environments.manage", (ctx) => createEnvironment(db, ctx, { name: field(form, "name") }));
  back("/service-accounts", result, "Environment added.");
}

export async function deleteEnvironmentAction(id: string) {
  const result = await withPermission("environments.manage", (ctx) => deleteEnvironment(db, ctx, String(id)));
  back("/service-accounts", result, "Environment deleted.");
}
