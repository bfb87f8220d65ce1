/**
 * The assistant's grammar and vocabulary, as data, in one place. parse.ts reads only these
 * tables, so teaching the bar a new word means adding it here (and a phrasing to corpus.json).
 * Every pattern runs on lower-cased text with control characters already replaced by spaces.
 */

/** Longer input is not parsed at all: no sentence a person types into the bar is this long. */
export const MAX_INPUT_LENGTH = 500;

/**
 * A question is never turned into a change, whatever verb it contains ("can you revoke X?"
 * becomes an answer that says how to ask for it, not a revoke).
 */
export const QUESTION_START =
  /^(who|whom|whose|what|which|when|where|why|how|is|are|was|were|does|do|did|has|have|had|can|could|should|would|will)\b/;

/** Words that start a request and carry no meaning of their own. */
export const POLITE_PREFIX =
  /^(?:(?:hey|hi|ok|okay|so|now|please|pls|kindly|azi|keyward|assistant)[\s,!:]+|i (?:want|need|would like|'d like) (?:you )?to |(?:let's|lets) |go (?:and |ahead and )?)+/i;

/** A request that says not to do something is never an action. */
export const NEGATION = /^(?:don'?t|do not|never|no|stop|nothing|not)\b/;

export const VERBS = {
  revokeAll: /\b(?:revoke|disable|deactivate|invalidate|kill|cancel|shut ?down)\b/,
  revoke: /^(?:revoke|revok|disable|deactivate|invalidate|kill|delete|remove|cancel)\b/,
  rotate: /^(?:rotate|rotat|roll|regenerate|re-?issue|cycle|refresh|renew)\b/,
  create: /^(?:create|creat|generate|genrate|make|mint|issue|add|give me|set up|setup|new)\b/,
  rename: /^(?:rename|re-name)\b/,
  edit: /^(?:edit|change|update|set|restrict|limit|lock(?: down)?|only allow|allow)\b/,
} as const;

/** "all keys", "every key", "everything", "this workspace's keys". */
export const ALL_KEYS = /\b(?:all|every|everything|each)\b/;
/** Revoke-all never takes exceptions: "revoke all keys except X" is two actions, not one. */
export const ALL_EXCEPT = /\b(?:except|but not|besides|other than|apart from|excluding)\b/;
/**
 * Nor does it take a filter: "revoke all expired keys" asks for less than every key, and the
 * bar must not offer more than was asked.
 */
export const ALL_FILTERED =
  /\b(?:that|which|whose|expired|expiring|unused|idle|inactive|old|older|stale|not used|created|named|called|in the|from the|group|read[\s-]?only|full[\s-]?access)\b/;

/** Filler removed before a key name is matched. */
export const FILLER_WORDS = new Set([
  "the", "a", "an", "our", "my", "this", "that", "its", "it's", "key", "keys", "api", "apikey", "token",
  "please", "now", "one", "for", "of", "called", "named", "workspace", "tenant", "secret", "credential",
  "immediately", "right", "away", "asap", "at", "once",
  // Common slips of "the": too short to be forgiven as a typo of a name word.
  "teh", "hte", "th",
]);

/** Durations a person says, in milliseconds per unit. */
export const DURATION_UNITS: [RegExp, number][] = [
  [/^(?:m|min|mins|minute|minutes)$/, 60_000],
  [/^(?:h|hr|hrs|hour|hours)$/, 3_600_000],
  [/^(?:d|day|days)$/, 86_400_000],
  [/^(?:w|wk|wks|week|weeks)$/, 7 * 86_400_000],
  [/^(?:month|months|mo|mos)$/, 30 * 86_400_000],
];
export const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, fifteen: 15, thirty: 30, ninety: 90, half: 0.5,
};
/** "30-day", "30 days", "a week", "one hour", "15min". */
// A number may touch its unit ("15min", "30d"); a word needs a space ("an d" is not "and").
export const DURATION =
  /\b(?:(\d+(?:\.\d+)?)[\s-]*|(a|an|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|thirty|ninety)[\s-]+)(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mos?)\b/;

export const NEVER_EXPIRES = /\b(?:never expir\w*|no expir\w*|without (?:an )?expir\w*|doesn'?t expire|does not expire|permanent)\b/;
/** Words after which a date is the key's expiry ("expiring on March 3", "valid until Friday"). */
export const EXPIRY_DATE_CUE = /\b(?:expir\w*|valid|good|lasting|until|till|through|thru)\b/;

/** Rotation overlap: "keep the old one for a day", "with a 1 hour overlap", "no overlap". */
export const OVERLAP_CUE = /\b(?:keep|leave|overlap|grace|old (?:one|secret|key) (?:valid|working|alive)|both (?:valid|working))\b/;
export const NO_OVERLAP = /\b(?:no overlap|without (?:an )?overlap|immediately|right away|at once|now)\b/;

/** Group words. A group's own name also matches (fuzzily). */
export const GROUP_ALIASES: { pattern: RegExp; groupName: RegExp }[] = [
  { pattern: /\bread[\s-]?only\b|\breadonly\b|\bread access\b/, groupName: /read/ },
  { pattern: /\bfull[\s-]?access\b|\bread[\s-]?(?:and[\s-])?write\b|\bread\/write\b|\bwrite access\b/, groupName: /full|write/ },
];
export const GROUP_CUE = /\b(?:in|into|with|to|using)\s+(?:the\s+)?(.+?)\s+group\b|\bgroup\s+["']?(.+?)["']?(?:$|[,.;]|\s+(?:with|and|that|only|expir))/;

/** IPv4/IPv6 addresses and CIDR ranges. The form and the schema validate them properly. */
export const IP_TOKEN = /(?:\b\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?\b|\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:\/\d{1,3})?)/g;
export const IP_CUE = /\b(?:only from|from|allow(?:list)?|restrict(?:ed)? to|limit(?:ed)? to|ips?|addresses?|range|cidr)\b/;

/** What ends a key's name inside a create request ("for the mobile app with 30-day expiry"). */
export const NAME_STOP =
  /\s+(?:because|since|with|that|which|expir\w*|valid|good|lasting|until|till|for\s+\d|for\s+(?:a|an|one)\s+(?:day|week|hour|month)|only|read[\s-]?only|full[\s-]?access|in the|in group|using|from|allowed|restricted|never|no expiry|and)\b|[,;.!?]/i;
export const NAME_CUE = /\b(?:called|named|name it|labell?ed|for(?: the| our| my)?)\s+(.+)/i;

/** Questions and requests that become views of the key list (its URL filters). */
export const KEY_VIEWS: { pattern: RegExp; params: Record<string, string> }[] = [
  { pattern: /\bexpired\b/, params: { expiry: "expired" } },
  { pattern: /\bexpir\w*\b.*\b(?:this week|soon|next (?:7|seven) days|in (?:a|one) week|within (?:a|one) week|coming week)\b|\babout to expire\b/, params: { expiry: "expiring_soon" } },
  { pattern: /\b(?:not (?:been )?used|unused|idle|inactive|haven'?t been used|no (?:use|usage|traffic)|never used)\b/, params: { flag: "idle" } },
  { pattern: /\b(?:need\w* (?:a )?rotat\w*|due for rotation|overdue|should be rotated|too old)\b/, params: { flag: "needs_rotation" } },
  { pattern: /\brevoked (?:keys|ones)\b|\bkeys (?:that are|were) revoked\b/, params: { status: "revoked" } },
  { pattern: /\bactive keys\b/, params: { status: "active" } },
];

/** "who revoked the ERP key", "when was Mobile App rotated". */
export const AUDIT_KEY_EVENT =
  /^(?:who|when|which \w+|show (?:me )?who)\b(.*?)\b(revoked|rotated|created|generated|made|edited|changed|renamed|updated)\b(.*)$/;
/** Words around the key's name in such a question. */
export const AUDIT_FILLER = /\b(?:was|were|is|did|has|had|have|been|who|when|the|me|show|first|last)\b/g;
export const AUDIT_EVENT_ACTIONS: Record<string, string> = {
  revoked: "api_key.revoked",
  rotated: "api_key.rotated",
  created: "api_key.created",
  generated: "api_key.created",
  made: "api_key.created",
  edited: "api_key.updated",
  changed: "api_key.updated",
  renamed: "api_key.updated",
  updated: "api_key.updated",
};
export const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/;
export const AUDIT_WORDS = /\b(?:audit|history|activity|log|did|done|happened|changes)\b/;
export const LIST_WORDS = /\b(?:show|list|find|which|what|display|see|view|give me)\b/;

export const EXAMPLES = [
  "Create an API key for the mobile app with 30-day expiry",
  "Rotate ERP Integration and keep the old one for a day",
  "Revoke the ERP key",
  "Which keys expire this week?",
  "Show what admin@acme.test did yesterday",
];
