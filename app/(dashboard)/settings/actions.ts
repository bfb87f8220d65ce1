"use server";

// Settings from the dashboard. Every export is a public endpoint: each checks the session, the
// role and the tenant itself (withPermission) and takes no tenant id from the caller.
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { withPermission } from "@/lib/auth/action-context";
import { setGroupRateLimits, type GroupLimits } from "@/lib/rate-limits/group-limits";
import type { Result } from "@/lib/result";

/** Sets an authorization group's rate limit windows; keys without their own follow at once. */
export async function setGroupRateLimitsAction(groupId: unknown, input: unknown): Promise<Result<GroupLimits>> {
  const result = await withPermission("groups.update", (ctx) => setGroupRateLimits(db, ctx, groupId, input));
  if (result.ok) {
    revalidatePath("/settings");
    revalidatePath("/tenant-api-keys", "layout");
  }
  return result;
}
