"use server";

// Service accounts and environments from the dashboard (issue 15). Every export is a public
// endpoint: each checks the session, the role and the tenant itself (withPermission) and takes
// no tenant id from the caller.
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { withPermission } from "@/lib/auth/action-context";
import { createServiceAccount, deleteServiceAccount, updateServiceAccount, type ServiceAccountRow } from "@/lib/service-accounts/mutations";
import { createEnvironment, deleteEnvironment } from "@/lib/environments/mutations";
import type { Result } from "@/lib/result";

function revalidated<T>(result: Result<T>): Result<T> {
  if (result.ok) {
    revalidatePath("/service-accounts", "layout");
    revalidatePath("/tenant-api-keys", "layout");
  }
  return result;
}

export async function createServiceAccountAction(input: unknown): Promise<Result<ServiceAccountRow>> {
  return revalidated(await withPermission("serviceAccounts.manage", (ctx) => createServiceAccount(db, ctx, input)));
}

export async function updateServiceAccountAction(id: unknown, input: unknown): Promise<Result<ServiceAccountRow>> {
  return revalidated(await withPermission("serviceAccounts.manage", (ctx) => updateServiceAccount(db, ctx, String(id), input)));
}

export async function deleteServiceAccountAction(id: unknown): Promise<Result<{ id: string }>> {
  return revalidated(await withPermission("serviceAccounts.manage", (ctx) => deleteServiceAccount(db, ctx, String(id))));
}

export async function createEnvironmentAction(input: unknown): Promise<Result<{ id: string; name: string }>> {
  return revalidated(await withPermission("environments.manage", (ctx) => createEnvironment(db, ctx, input)));
}

export async function deleteEnvironmentAction(id: unknown): Promise<Result<{ id: string }>> {
  return revalidated(await withPermission("environments.manage", (ctx) => deleteEnvironment(db, ctx, String(id))));
}
