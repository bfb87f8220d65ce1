/** What the bar knows about the signed-in tenant: names, ids and prefixes, never a secret or hash. */
export type AssistantKey = { id: string; name: string; prefix: string; revoked: boolean };
export type AssistantGroup = { id: string; name: string; scopes: string };
export type AssistantContext = { keys: AssistantKey[]; groups: AssistantGroup[] };

export type KeyRef = { id: string; name: string; prefix: string };

/**
 * One proposed action. Nothing here has happened: the bar shows it as a preview and the
 * ordinary dialog or form, with its own confirmation and permission check, does it.
 */
export type ProposedAction =
  | {
      kind: "create";
      name: string | null;
      group: { id: string; name: string; defaulted: boolean } | null;
      expiresIn: string | null;
      expiresAt: string | null;
      ipAllowlist: string | null;
    }
  | { kind: "rotate"; key: KeyRef; overlap: "none" | "1h" | "24h" | "7d" }
  | { kind: "revoke"; key: KeyRef }
  | { kind: "revokeAll" }
  | { kind: "edit"; key: KeyRef; name: string | null; ipAllowlist: string | null }
  | { kind: "viewKeys"; params: Record<string, string> }
  | { kind: "viewAudit"; params: Record<string, string> }
  | {
      kind: "choose";
      intent: "rotate" | "revoke" | "edit" | "viewAudit";
      candidates: KeyRef[];
      /** One complete proposal per candidate, in the same order: picking one previews it. */
      proposals: ProposedAction[];
      message: string;
    }
  /** `unmapped`: nothing in the grammar fit (not a question, not a refusal): the model may try. */
  | { kind: "answer"; message: string; examples: string[]; unmapped?: true };

export type ActionKind = ProposedAction["kind"];

/** Kinds that change or destroy something once confirmed. */
export const DESTRUCTIVE_KINDS: readonly ActionKind[] = ["rotate", "revoke", "revokeAll", "edit"];
