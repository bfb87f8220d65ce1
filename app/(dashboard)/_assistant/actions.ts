"use server";

// Every export of this file is a public endpoint: each reads the tenant from the session
// (withPermission) and returns only that tenant's names, ids and prefixes, never a hash.
import { db } from "@/lib/db";
import { withPermission } from "@/lib/auth/action-context";
import { deniedReason } from "@/lib/auth/permissions";
import { findApiKey, tenantKeyCounts } from "@/lib/api-keys/queries";
import { tenantKeySettings } from "@/lib/tenants/queries";
import { assistantContext } from "@/lib/assistant/queries";
import { askModel, modelConfig } from "@/lib/assistant/model";
import type { AssistantContext, ProposedAction } from "@/lib/assistant/types";
import { MAX_INPUT_LENGTH } from "@/lib/assistant/vocabulary";
import { fail, ok, type Result } from "@/lib/result";
import { toKeyListItem, type KeyListItem } from "@/lib/api-keys/serialize";

export type AssistantSnapshot = {
  context: AssistantContext;
  tenantName: string;
  revocableCount: number;
  /** The permission map's reason for each action the bar can preview, or null when allowed. */
  denied: Record<"create" | "update" | "rotate" | "revoke" | "revokeAll", string | null>;
  /** KEYWARD_ASSISTANT_URL is set: input the parser cannot map may go to the model. */
  modelEnabled: boolean;
};

export async function assistantSnapshotAction(): Promise<Result<AssistantSnapshot>> {
  return withPermission("keys.read", async (ctx, session) => {
    const tenant = await tenantKeySettings(db, ctx.tenantId);
    const [context, counts] = await Promise.all([
      assistantContext(db, ctx.tenantId),
      tenantKeyCounts(db, ctx.tenantId, new Date(), tenant.rotationPolicyDays),
    ]);
    return ok({
      context,
      tenantName: tenant.name,
      revocableCount: counts.revocable,
      denied: {
        create: deniedReason(session.role, "keys.create"),
        update: deniedReason(session.role, "keys.update"),
        rotate: deniedReason(session.role, "keys.rotate"),
        revoke: deniedReason(session.role, "keys.revoke"),
        revokeAll: deniedReason(session.role, "keys.revokeAll"),
      },
      modelEnabled: modelConfig() !== null,
    });
  });
}

/** One key of the signed-in tenant as the edit dialog needs it (another tenant's is not found). */
export async function assistantKeyAction(keyId: unknown): Promise<Result<KeyListItem>> {
  return withPermission("keys.update", async (ctx) => {
    if (typeof keyId !== "string" || keyId.length > 64) return fail("not_found", "API key not found.");
    const [row, tenant] = await Promise.all([
      findApiKey(db, ctx.tenantId, keyId),
      tenantKeySettings(db, ctx.tenantId),
    ]);
    if (!row) return fail("not_found", "API key not found.");
    return ok(toKeyListItem(row, new Date(), tenant.rotationPolicyDays));
  });
}

/**
 * Input the parser could not map, asked of the model at KEYWARD_ASSISTANT_URL (lib/assistant/model.ts
 * says what is sent). The answer is a proposal like the parser's: the bar previews it and the
 * ordinary actions check it.
 */
export async function assistantModelAction(text: unknown): Promise<Result<ProposedAction>> {
  return withPermission("keys.read", async (ctx) => {
    const config = modelConfig();
    if (!config) return fail("not_found", "No assistant model is configured.");
    if (typeof text !== "string") return fail("validation", "Type what you would like to do.");
    const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").trim();
    if (!cleaned || cleaned.length > MAX_INPUT_LENGTH) return fail("validation", "Ask for one thing in a sentence.");
    return ok(await askModel(cleaned, await assistantContext(db, ctx.tenantId), config));
  });
}
