import type { ProposedAction } from "./types";

/**
 * The URLs a proposal opens: the generate form pre-filled through its query string, or a view
 * of the key list or the audit log through the filters those pages already read from the URL.
 */
export function proposalHref(action: ProposedAction): string | null {
  if (action.kind === "create") {
    const query = new URLSearchParams({ via: "assistant" });
    if (action.name) query.set("name", action.name);
    if (action.group) query.set("group", action.group.id);
    if (action.expiresIn) query.set("expiresIn", action.expiresIn);
    if (action.expiresAt) query.set("expiresAt", action.expiresAt);
    if (action.ipAllowlist) query.set("ipAllowlist", action.ipAllowlist);
    return `/tenant-api-keys/new?${query}`;
  }
  if (action.kind === "viewKeys") return `/tenant-api-keys?${new URLSearchParams(action.params)}`;
  if (action.kind === "viewAudit") return `/audit-log?${new URLSearchParams(action.params)}`;
  return null;
}

export type GenerateDefaults = {
  name: string;
  groupId: string;
  expiresIn: string | null;
  expiresAt: string;
  ipAllowlist: string;
  /** "" for none: ?serviceAccount= and ?environment= (a service account's "+ Create Key"). */
  serviceAccountId: string;
  environmentId: string;
  fromAssistant: boolean;
};

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

/**
 * The generate form's defaults from its URL. Only shapes are checked here (the form's schema
 * and the server action validate the values): an unknown group or preset is simply dropped.
 */
export function generateDefaults(
  search: Record<string, string | string[] | undefined>,
  groupIds: string[],
  presets: readonly string[],
  owners: { serviceAccountIds: string[]; environmentIds: string[] } = { serviceAccountIds: [], environmentIds: [] },
): GenerateDefaults {
  const expiresAt = first(search.expiresAt);
  const known = (value: string, ids: string[]) => (ids.includes(value) ? value : "");
  return {
    name: first(search.name).slice(0, 200),
    groupId: groupIds.includes(first(search.group)) ? first(search.group) : "",
    expiresIn: presets.includes(first(search.expiresIn)) ? first(search.expiresIn) : null,
    expiresAt: expiresAt && !Number.isNaN(Date.parse(expiresAt)) ? new Date(expiresAt).toISOString() : "",
    ipAllowlist: first(search.ipAllowlist).slice(0, 10_000),
    serviceAccountId: known(first(search.serviceAccount), owners.serviceAccountIds),
    environmentId: known(first(search.environment), owners.environmentIds),
    fromAssistant: first(search.via) === "assistant",
  };
}
