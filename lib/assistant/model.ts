import { z } from "zod";
import { config, parseConfig } from "@/lib/config";
import { matchKeys } from "./match-key";
import { PRESETS } from "./parse";
import type { AssistantContext, KeyRef, ProposedAction } from "./types";
import { EXAMPLES, MAX_INPUT_LENGTH } from "./vocabulary";

/**
 * The optional fallback: when KEYWARD_ASSISTANT_URL names an OpenAI-compatible chat endpoint,
 * a request the parser cannot map is sent there with the bar's actions offered as tools. What
 * the model proposes is only a proposal: its key names are matched against the tenant's keys
 * like typed ones, and the preview, confirmation and permission checks are the same.
 *
 * Sent, and nothing else: the typed text, the tenant's key names and prefixes (at most
 * MAX_NAMES), its key groups' names, and the tool definitions below. Never an id, a hash, a
 * secret, an email other than one the user typed, or the tenant's name.
 */
export type ModelConfig = { url: string; model: string; apiKey: string | null; timeoutMs: number };

export const MAX_NAMES = 200;

export function modelConfig(env?: Record<string, string | undefined>): ModelConfig | null {
  // lib/config.ts has checked the URL at start: a typo stops the server instead of switching the fallback off.
  const { assistantUrl, assistantModel, assistantApiKey } = env ? parseConfig(env) : config();
  if (!assistantUrl) return null;
  return {
    url: assistantUrl.replace(/\/+$/, "") + "/chat/completions",
    model: assistantModel,
    apiKey: assistantApiKey ?? null,
    timeoutMs: 8_000,
  };
}

const presetValues = PRESETS.map((p) => p.value) as [string, ...string[]];
const fn = (name: string, description: string, properties: Record<string, unknown>, required: string[] = []) => ({
  type: "function",
  function: { name, description, parameters: { type: "object", properties, required, additionalProperties: false } },
});
const keyName = { type: "string", description: "The key's name as listed, or its prefix" };

export const TOOLS = [
  fn("create_key", "Open the Generate API key form pre-filled", {
    name: { type: "string" },
    group: { type: "string", description: "One of the listed key groups" },
    expires_in: { type: "string", enum: presetValues },
    ip_allowlist: { type: "array", items: { type: "string" }, description: "IPv4/IPv6 addresses or CIDR ranges" },
  }),
  fn("rotate_key", "Rotate one key", { key_name: keyName, overlap: { type: "string", enum: ["none", "1h", "24h", "7d"] } }, ["key_name"]),
  fn("revoke_key", "Revoke one key", { key_name: keyName }, ["key_name"]),
  fn("revoke_all_keys", "Revoke every key of the workspace", {}),
  fn("edit_key", "Rename a key or change its IP allowlist", {
    key_name: keyName,
    new_name: { type: "string" },
    ip_allowlist: { type: "array", items: { type: "string" } },
  }, ["key_name"]),
  fn("show_keys", "Show the key list filtered", { filter: { type: "string", enum: ["expiring_soon", "expired", "idle", "needs_rotation", "revoked"] } }, ["filter"]),
  fn("no_action", "Nothing above fits the request", {}),
];

export function buildRequest(text: string, context: AssistantContext, config: ModelConfig) {
  const keys = context.keys.slice(0, MAX_NAMES).map((k) => `${k.name} (${k.prefix}${k.revoked ? ", revoked" : ""})`);
  return {
    model: config.model,
    temperature: 0,
    tool_choice: "required",
    tools: TOOLS,
    messages: [
      {
        role: "system",
        content:
          "You map one request about API keys to exactly one tool call. Use no_action when unsure. " +
          `Keys: ${keys.join("; ") || "none"}. Key groups: ${context.groups.map((g) => g.name).join("; ") || "none"}.`,
      },
      { role: "user", content: text.slice(0, MAX_INPUT_LENGTH) },
    ],
  };
}

const toolCall = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          tool_calls: z.array(z.object({ function: z.object({ name: z.string(), arguments: z.string() }) })).min(1),
        }),
      }),
    )
    .min(1),
});
const args = z.object({
  key_name: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
  new_name: z.string().max(200).optional(),
  group: z.string().max(200).optional(),
  expires_in: z.enum(presetValues).optional(),
  overlap: z.enum(["none", "1h", "24h", "7d"]).optional(),
  ip_allowlist: z.array(z.string().max(64)).max(100).optional(),
  filter: z.enum(["expiring_soon", "expired", "idle", "needs_rotation", "revoked"]).optional(),
});

const noMatch = (message: string): ProposedAction => ({ kind: "answer", message, examples: EXAMPLES });

/** One tool call -> one proposal, checked like typed input; anything off becomes an answer. */
export function toProposal(name: string, rawArguments: string, context: AssistantContext): ProposedAction {
  let parsed: z.infer<typeof args>;
  try {
    const result = args.safeParse(JSON.parse(rawArguments || "{}"));
    if (!result.success) return noMatch("I could not understand that. Try one of these:");
    parsed = result.data;
  } catch {
    return noMatch("I could not understand that. Try one of these:");
  }
  const key = (): KeyRef | ProposedAction => {
    const { best } = matchKeys(parsed.key_name ?? "", context.keys.filter((k) => !k.revoked));
    if (best.length === 1) return best[0];
    return noMatch(best.length ? "Several keys fit. Name the key, for example:" : "No active key of this workspace has that name. For example:");
  };
  const ips = parsed.ip_allowlist?.length ? parsed.ip_allowlist.join("\n") : null;
  switch (name) {
    case "create_key": {
      const group = context.groups.find((g) => g.name.toLowerCase() === parsed.group?.toLowerCase());
      return {
        kind: "create",
        name: parsed.name?.trim() || null,
        group: group ? { id: group.id, name: group.name, defaulted: false } : null,
        expiresIn: parsed.expires_in ?? null,
        expiresAt: null,
        ipAllowlist: ips,
      };
    }
    case "rotate_key":
    case "revoke_key":
    case "edit_key": {
      const found = key();
      if ("kind" in found) return found;
      if (name === "rotate_key") return { kind: "rotate", key: found, overlap: parsed.overlap ?? "none" };
      if (name === "revoke_key") return { kind: "revoke", key: found };
      if (!parsed.new_name && !ips) return noMatch("What should change? For example:");
      return { kind: "edit", key: found, name: parsed.new_name?.trim() || null, ipAllowlist: ips };
    }
    case "revoke_all_keys":
      return { kind: "revokeAll" };
    case "show_keys": {
      const filter = parsed.filter ?? "";
      const params: Record<string, string> = ["idle", "needs_rotation"].includes(filter) ? { flag: filter } : filter === "revoked" ? { status: filter } : { expiry: filter };
      return filter ? { kind: "viewKeys", params } : noMatch("Which keys? For example:");
    }
    default:
      return noMatch("I don't know how to do that. I understand requests like these:");
  }
}

/** Asks the model; a slow, failing or odd answer is an answer with examples, never an action. */
export async function askModel(
  text: string,
  context: AssistantContext,
  config: ModelConfig,
  fetchImpl: typeof fetch = fetch,
): Promise<ProposedAction> {
  try {
    const response = await fetchImpl(config.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(config.apiKey && { authorization: `Bearer ${config.apiKey}` }) },
      body: JSON.stringify(buildRequest(text, context, config)),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    if (!response.ok) return noMatch("The assistant's model did not answer. Try one of these:");
    const body = toolCall.safeParse(await response.json());
    if (!body.success) return noMatch("I don't know how to do that. I understand requests like these:");
    const call = body.data.choices[0].message.tool_calls[0].function;
    return toProposal(call.name, call.arguments, context);
  } catch {
    return noMatch("The assistant's model did not answer. Try one of these:");
  }
}
