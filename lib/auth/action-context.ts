import "server-only";
import { headers } from "next/headers";
import type { MutationContext } from "@/lib/api-keys/mutations";
import { fail, type Failure, type Result } from "@/lib/result";
import { requestIdFrom } from "@/lib/request-id";
import { logError } from "@/lib/log";
import type { Permission, PlatformPermission } from "./permissions";
import type { SessionUser, TenantContext } from "./session";
import { AuthorizationError, assertCan } from "./assert-can";

/**
 * Runs a server action's body for the signed-in user when their role in the current tenant
 * grants `permission` (assertCan). The tenant comes from the session, never from the action's arguments.
 * Expected refusals come back as results; anything unexpected is logged with the request id
 * (never the arguments, which may hold a secret) and reported without details.
 */
export async function withPermission<T>(
  permission: Permission,
  body: (ctx: MutationContext, context: TenantContext) => Promise<Result<T>>,
  options: { via?: unknown } = {},
): Promise<Result<T>> {
  // Only the one known value is kept: whatever else a client sends never reaches the audit log.
  const via = options.via === "assistant" ? ("assistant" as const) : undefined;
  const requestId = requestIdFrom((await headers()).get("x-request-id"));
  try {
    const context = await assertCan(permission);
    return await body(
      {
        tenantId: context.tenant.id,
        actor: { type: "user", userId: context.user.id, label: context.user.email, ...(via && { via }) },
        requestId,
      },
      context,
    );
  } catch (error) {
    return failed(error, requestId, permission);
  }
}

/**
 * The same for a platform action (super users: tenant limits, sessions, root keys): the body
 * gets the user. Anyone else gets "not found", as for the admin pages themselves.
 */
export async function withPlatformPermission<T>(
  permission: PlatformPermission,
  body: (user: SessionUser, requestId: string) => Promise<Result<T>>,
): Promise<Result<T>> {
  const requestId = requestIdFrom((await headers()).get("x-request-id"));
  try {
    return await body(await assertCan(permission), requestId);
  } catch (error) {
    return failed(error, requestId, permission);
  }
}

function failed(error: unknown, requestId: string, permission: string): Failure {
  if (error instanceof AuthorizationError) {
    return fail(error.status === 401 ? "unauthorized" : error.status === 404 ? "not_found" : "forbidden", error.message);
  }
  logError("server action failed", error, { requestId, permission });
  if (isDatabaseBusy(error)) {
    return fail("unavailable", `The database is busy. Nothing was changed; try again. (Request ${requestId})`);
  }
  return fail("internal", `Something went wrong. Nothing was changed. (Request ${requestId})`);
}

function isDatabaseBusy(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  // PostgreSQL's counterpart of SQLITE_BUSY is a statement cancelled by statement_timeout while
  // it waits for a lock (57014, "canceling statement due to statement timeout"; Prisma wraps it
  // as P2010) or a lock_timeout (55P03): the transaction is rolled back, so nothing changed.
  return /SQLITE_BUSY|database is locked|P2028|P1001|P1008|timed out|statement timeout|lock timeout|57014|55P03/i.test(text);
}
