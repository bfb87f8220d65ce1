"use client";

import { EXPIRATION_PRESETS, ROTATION_OVERLAPS } from "@/lib/api-keys/schemas";
import { formatDateTime } from "@/lib/format/dates";
import type { ProposedAction } from "@/lib/assistant/types";
import type { AssistantSnapshot } from "./actions";

type Denied = AssistantSnapshot["denied"];

/** Which permission each proposal needs: the reason the bar shows comes from the permission map. */
export function deniedFor(action: ProposedAction, denied: Denied): string | null {
  switch (action.kind) {
    case "create":
      return denied.create;
    case "rotate":
      return denied.rotate;
    case "revoke":
      return denied.revoke;
    case "revokeAll":
      return denied.revokeAll;
    case "edit":
      return denied.update;
    default:
      return null;
  }
}

/** The one action, in words, before anything is done. */
export function describe(action: ProposedAction, snapshot: AssistantSnapshot): { title: string; lines: string[]; button: string } {
  switch (action.kind) {
    case "create": {
      const preset = EXPIRATION_PRESETS.find((p) => p.value === action.expiresIn);
      const expiry = preset ? preset.label : action.expiresAt ? formatDateTime(action.expiresAt) : "never";
      return {
        title: "Generate an API key",
        lines: [
          `Name: ${action.name ?? "(you type it)"}`,
          `Authorization group: ${action.group ? action.group.name + (action.group.defaulted ? " (the least access; change it in the form)" : "") : "(you choose it)"}`,
          `Expires: ${expiry}`,
          `IP allowlist: ${action.ipAllowlist ? action.ipAllowlist.split("\n").join(", ") : "any address"}`,
          "Opens the Generate form filled in with these. Nothing is created until you click Generate there.",
        ],
        button: "Open the Generate form",
      };
    }
    case "rotate": {
      const overlap = ROTATION_OVERLAPS.find((o) => o.value === action.overlap);
      return {
        title: `Rotate ${action.key.name}`,
        lines: [
          `Key: ${action.key.name} (${action.key.prefix}…)`,
          action.overlap === "none" ? "The current secret stops working immediately." : `${overlap?.label ?? ""}.`,
          "The new secret is shown once.",
        ],
        button: "Review the rotation",
      };
    }
    case "revoke":
      return {
        title: `Revoke ${action.key.name}`,
        lines: [`Key: ${action.key.name} (${action.key.prefix}…)`, "It stops working immediately. This cannot be undone."],
        button: "Review the revocation",
      };
    case "revokeAll":
      return {
        title: "Revoke all API keys",
        lines: [
          `Every key of ${snapshot.tenantName} that is not yet revoked (${snapshot.revocableCount}) stops working at once.`,
          `You will type ${snapshot.tenantName} to confirm.`,
        ],
        button: "Review revoke-all",
      };
    case "edit":
      return {
        title: `Edit ${action.key.name}`,
        lines: [
          ...(action.name ? [`New name: ${action.name}`] : []),
          ...(action.ipAllowlist ? [`New IP allowlist: ${action.ipAllowlist.split("\n").join(", ")}`] : []),
          "Opens the edit form with these changes; nothing is saved until you click Save.",
        ],
        button: "Open the edit form",
      };
    case "viewKeys":
      return { title: "Show keys", lines: [viewText(action.params)], button: "Show the keys" };
    case "viewAudit":
      return { title: "Show the audit log", lines: [auditText(action.params, snapshot)], button: "Show the audit log" };
    default:
      return { title: "", lines: [], button: "" };
  }
}

function viewText(params: Record<string, string>): string {
  if (params.expiry === "expiring_soon") return "Keys in the last 20% of their lifetime (at most 7 days) before they expire.";
  if (params.expiry === "expired") return "Keys that have expired.";
  if (params.flag === "idle") return "Keys not used for 30 days or more.";
  if (params.flag === "needs_rotation") return "Keys older than the rotation policy.";
  if (params.status) return `Keys with status ${params.status}.`;
  return "All keys.";
}

function auditText(params: Record<string, string>, snapshot: AssistantSnapshot): string {
  const parts: string[] = [];
  if (params.action) parts.push(`events ${params.action.replace("api_key.", "")}`);
  if (params.key) parts.push(`of ${snapshot.context.keys.find((k) => k.id === params.key)?.name ?? "the key"}`);
  if (params.actor) parts.push(`by ${params.actor}`);
  if (params.from) parts.push(params.from === params.to ? `on ${params.from} (UTC)` : `from ${params.from}`);
  return parts.length ? `Audit events ${parts.join(" ")}.` : "Every audit event, newest first.";
}
