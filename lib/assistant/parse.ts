import * as chrono from "chrono-node/en";
import { matchKeys } from "./match-key";
import type { AssistantContext, AssistantGroup, KeyRef, ProposedAction } from "./types";
import * as V from "./vocabulary";

/**
 * text -> one proposed action, deterministically, with no service behind it. Anything it cannot
 * map becomes an answer with examples: the parser never guesses an action, and a question
 * never becomes a change.
 */
export function parseRequest(input: unknown, context: AssistantContext, now: Date = new Date()): ProposedAction {
  if (typeof input !== "string") return answer("Type what you would like to do.");
  // Control characters (pasted tabs, NULs, escape sequences) are spaces to the grammar.
  const cleaned = input.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").replace(/\s+/g, " ").trim();
  if (cleaned === "") return answer("Type what you would like to do, for example:");
  if (cleaned.length > V.MAX_INPUT_LENGTH) {
    return answer(`That is longer than ${V.MAX_INPUT_LENGTH} characters. Ask for one thing in a sentence, for example:`);
  }
  const original = cleaned.replace(V.POLITE_PREFIX, "");
  const text = original.toLowerCase();
  const question = V.QUESTION_START.test(text) || text.endsWith("?");

  const view = parseView(text, context, now);
  if (view) return view;
  if (V.NEGATION.test(text)) return answer("Nothing was done. Tell me what you would like to do, for example:");
  if (question) {
    const verb = ["revoke", "rotate", "create", "rename", "edit"].find((v) => text.includes(v));
    return answer(
      verb
        ? `That reads as a question, so nothing was done. To ${verb} a key, say it as a request, for example:`
        : "I can't answer that yet. Try one of these:",
    );
  }

  if (V.VERBS.revokeAll.test(text) && V.ALL_KEYS.test(text)) {
    if (V.ALL_EXCEPT.test(text)) return answer("Revoke-all takes no exceptions. Revoke keys one by one instead, for example:");
    if (V.ALL_FILTERED.test(text)) {
      return answer("I can revoke every key of this workspace, or one key. Show the keys you mean first, for example:");
    }
    return { kind: "revokeAll" };
  }
  if (V.VERBS.revoke.test(text)) return withKey("revoke", afterVerb(original, V.VERBS.revoke), context, (key) => ({ kind: "revoke", key }));
  if (V.VERBS.rotate.test(text)) return parseRotate(original, context);
  if (V.VERBS.create.test(text)) return parseCreate(original, context, now);
  if (V.VERBS.rename.test(text) || V.VERBS.edit.test(text)) return parseEdit(original, context);
  return { ...answer("I don't know how to do that. I understand requests like these:"), unmapped: true };
}

function answer(message: string): ProposedAction & { kind: "answer" } {
  return { kind: "answer", message, examples: V.EXAMPLES };
}

function afterVerb(text: string, verb: RegExp): string {
  return text.replace(new RegExp(verb.source, "i"), "").trim();
}

/** Cuts a key phrase where the rest of the sentence begins ("ERP and keep the old one..."). */
function keyPhrase(text: string): string {
  return text.split(/\s+(?:and|but|with|because|since|so|then|to|as)\s+|\s+(?:keep|leave|overlap)\b|[,;.!?]/i)[0].trim();
}

function withKey(
  intent: "rotate" | "revoke" | "edit" | "viewAudit",
  phrase: string,
  context: AssistantContext,
  build: (key: KeyRef) => ProposedAction,
  includeRevoked = false,
): ProposedAction {
  const keys = context.keys.filter((k) => includeRevoked || !k.revoked);
  const { best, phraseWords } = matchKeys(keyPhrase(phrase), keys);
  if (phraseWords.length === 0) return answer(`Which key? Name it, for example: "${intent === "rotate" ? "Rotate" : "Revoke"} ERP Integration".`);
  if (best.length === 1) return build(best[0]);
  if (best.length > 1) {
    return { kind: "choose", intent, candidates: best, proposals: best.map(build), message: `Several keys fit "${keyPhrase(phrase)}". Which one?` };
  }
  return answer(`No ${includeRevoked ? "" : "active "}key of this workspace is called "${keyPhrase(phrase).slice(0, 80)}". Check the name, for example:`);
}

function parseView(text: string, context: AssistantContext, now: Date): ProposedAction | null {
  const event = V.AUDIT_KEY_EVENT.exec(text);
  if (event) {
    const action = V.AUDIT_EVENT_ACTIONS[event[2]];
    const phrase = `${event[1]} ${event[3]}`.replace(V.AUDIT_FILLER, " ");
    return withKey("viewAudit", phrase, context, (key) => ({ kind: "viewAudit", params: { action, key: key.id } }), true);
  }
  const email = V.EMAIL.exec(text);
  if (email && (V.AUDIT_WORDS.test(text) || V.LIST_WORDS.test(text))) {
    const params: Record<string, string> = { actor: email[0] };
    const day = chrono.casual.parseDate(text.replace(email[0], " "), now, { forwardDate: false });
    if (day) params.from = params.to = day.toISOString().slice(0, 10);
    return { kind: "viewAudit", params };
  }
  const asksForList = V.LIST_WORDS.test(text) || V.QUESTION_START.test(text) || text.endsWith("?") || /^(?:keys?|audit|history|activity)\b/.test(text);
  if (!asksForList) return null;
  for (const view of V.KEY_VIEWS) if (view.pattern.test(text)) return { kind: "viewKeys", params: view.params };
  if (/\baudit\b|\bhistory\b|\bactivity\b/.test(text)) return { kind: "viewAudit", params: {} };
  if (/^(?:show|list|display|view|see)(?: me)?(?: all)?(?: (?:the|my|our))?(?: api)? keys$/.test(text)) return { kind: "viewKeys", params: {} };
  return null;
}

function parseRotate(original: string, context: AssistantContext): ProposedAction {
  const text = original.toLowerCase();
  let overlap: "none" | "1h" | "24h" | "7d" = "none";
  if (V.OVERLAP_CUE.test(text) && !/\bno overlap\b|\bwithout (?:an )?overlap\b/.test(text)) {
    const ms = durationMs(text);
    const preset = ms === 3_600_000 ? "1h" : ms === 86_400_000 ? "24h" : ms === 7 * 86_400_000 ? "7d" : null;
    if (!preset) return answer("The old secret can stay valid for 1 hour, 24 hours or 7 days. For example:");
    overlap = preset;
  }
  return withKey("rotate", afterVerb(original, V.VERBS.rotate), context, (key) => ({ kind: "rotate", key, overlap }));
}

function durationMs(text: string): number | null {
  const match = V.DURATION.exec(text);
  if (!match) return null;
  const amount = match[1] !== undefined ? Number(match[1]) : V.NUMBER_WORDS[match[2]];
  const unit = V.DURATION_UNITS.find(([pattern]) => pattern.test(match[3]));
  return unit ? amount * unit[1] : null;
}

function parseCreate(original: string, context: AssistantContext, now: Date): ProposedAction {
  const text = original.toLowerCase();
  let expiresIn: string | null = null;
  let expiresAt: string | null = null;
  if (!V.NEVER_EXPIRES.test(text)) {
    const ms = durationMs(text);
    const preset = ms === null ? undefined : PRESETS.find((p) => p.ms === ms);
    if (preset) expiresIn = preset.value;
    else if (ms !== null) expiresAt = new Date(now.getTime() + ms).toISOString();
    else if (V.EXPIRY_DATE_CUE.test(text)) {
      const date = chrono.casual.parseDate(text.slice(text.search(V.EXPIRY_DATE_CUE)), now, { forwardDate: true });
      if (date) expiresAt = date.toISOString();
    }
  }
  const ips = text.match(V.IP_TOKEN)?.filter((ip) => ip.includes(".") || ip.split(":").length > 2) ?? [];
  return {
    kind: "create",
    name: createName(original),
    group: chooseGroup(text, context.groups),
    expiresIn,
    expiresAt,
    ipAllowlist: ips.length ? ips.join("\n") : null,
  };
}

// The seed's presets, as the schema knows them (kept here as numbers so the parser has no
// dependency on zod in the browser bundle; the corpus test checks them against the schema).
export const PRESETS = [
  { value: "15m", ms: 15 * 60_000 },
  { value: "1h", ms: 3_600_000 },
  { value: "8h", ms: 8 * 3_600_000 },
  { value: "24h", ms: 86_400_000 },
  { value: "7d", ms: 7 * 86_400_000 },
  { value: "30d", ms: 30 * 86_400_000 },
  { value: "90d", ms: 90 * 86_400_000 },
];

function createName(original: string): string | null {
  const quoted = /["“']([^"”']{2,200})["”']/.exec(original);
  if (quoted) return quoted[1].trim();
  const cue = V.NAME_CUE.exec(original.replace(/^.*?\b(?:key|token)\b/i, (m) => (/\b(?:called|named|for)\b/i.test(m) ? m : " ")));
  if (!cue) return null;
  const name = cue[1].split(V.NAME_STOP)[0].replace(/\s+(?:api\s+)?(?:key|token)$/i, "").trim();
  if (name.length < 2 || /^\d/.test(name)) return null;
  return titleCase(name);
}

function titleCase(name: string): string {
  // A name typed in lower case (or all in capitals) reads better capitalised; one typed with
  // some capitals ("ERP sync") is kept as typed.
  const uniform = name === name.toLowerCase() || name === name.toUpperCase();
  return uniform ? name.toLowerCase().replace(/(^|\s)(\p{L})/gu, (_, s, c) => s + c.toUpperCase()) : name;
}

function chooseGroup(text: string, groups: AssistantGroup[]): { id: string; name: string; defaulted: boolean } | null {
  for (const alias of V.GROUP_ALIASES) {
    if (!alias.pattern.test(text)) continue;
    const group = groups.find((g) => alias.groupName.test(g.name.toLowerCase()));
    if (group) return { id: group.id, name: group.name, defaulted: false };
  }
  const named = groups.find((g) => new RegExp(`\\b${escape(g.name.toLowerCase())}\\b`).test(text));
  if (named) return { id: named.id, name: named.name, defaulted: false };
  // Least privilege by default: the group with the fewest scopes, shown as a default to change.
  const least = [...groups].sort((a, b) => a.scopes.split(" ").length - b.scopes.split(" ").length)[0];
  return least ? { id: least.id, name: least.name, defaulted: true } : null;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function parseEdit(original: string, context: AssistantContext): ProposedAction {
  const text = original.toLowerCase();
  const ips = text.match(V.IP_TOKEN)?.filter((ip) => ip.includes(".") || ip.split(":").length > 2) ?? [];
  // "rename X to Y", "change the name of X to Y", "call X Y".
  const rename =
    /^(?:rename|re-name)\s+(.+?)\s+(?:to|as|into)\s+(.+)$/i.exec(original) ??
    /^(?:change|update|set)\s+(?:the\s+)?name\s+of\s+(.+?)\s+to\s+(.+)$/i.exec(original);
  if (rename) {
    const newName = rename[2].replace(/^["“']|["”'.!]+$/g, "").trim();
    if (newName.length < 2) return answer("What should the new name be? For example: \"Rename ERP Integration to ERP Sync\".");
    return withKey("edit", rename[1], context, (key) => ({ kind: "edit", key, name: newName, ipAllowlist: null }));
  }
  if (ips.length > 0) {
    // "restrict ERP to 10.0.0.0/8", "only allow ERP from 10.0.0.0/8", "set the allowlist of ERP to ...".
    const phrase = original
      .replace(/^(?:edit|change|update|set|restrict|limit|lock(?: down)?|only allow|allow)\s+/i, "")
      .replace(/^(?:the\s+)?(?:ip\s+)?allow\s?list\s+(?:of|for|on)\s+/i, "")
      .split(/\s+(?:to|from|so|only)\b/i)[0];
    return withKey("edit", phrase, context, (key) => ({ kind: "edit", key, name: null, ipAllowlist: ips.join("\n") }));
  }
  return answer("I can rename a key or change its IP allowlist. For example: \"Restrict ERP Integration to 10.0.0.0/8\".");
}
