"use server";

// Signed tokens from the dashboard. Every export is a public endpoint: each checks the session,
// the role and the tenant itself (withPermission) and takes no tenant id from the caller.
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { withPermission } from "@/lib/auth/action-context";
import { issueUserToken, type TokenClaims } from "@/lib/tokens/issue";
import { revokeToken } from "@/lib/tokens/revocation";
import type { Result } from "@/lib/result";

const TOKENS_PATH = "/tenant-api-keys/tokens";

/** Signs a token for the signed-in user; the token is returned once and never stored. */
export async function issueTokenAction(input: unknown): Promise<Result<{ token: string; claims: TokenClaims; kid: string }>> {
  const result = await withPermission("tokens.create", (ctx, context) =>
    issueUserToken(db, { tenantId: ctx.tenantId, user: { id: context.user.id, email: context.user.email }, requestId: ctx.requestId }, input),
  );
  if (result.ok) revalidatePath(TOKENS_PATH);
  return result;
}

export async function revokeTokenAction(jti: unknown): Promise<Result<{ jti: string }>> {
  const result = await withPermission("tokens.revoke", (ctx) => revokeToken(db, { tenantId: ctx.tenantId, actor: ctx.actor, requestId: ctx.requestId }, jti));
  if (result.ok) {
    revalidatePath(TOKENS_PATH);
    revalidatePath("/tenant-api-keys");
  }
  return result.ok ? { ok: true, value: { jti: result.value.jti } } : result;
}
