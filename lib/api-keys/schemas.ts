import { z } from "zod";
import "../zod-jitless";
import { MAX_ALLOWLIST_ENTRIES, parseAllowlist } from "./ip-allowlist";
import { limitFields } from "../rate-limits/schemas";
import { keyOwnerFields } from "../service-accounts/schemas";
import { EXPIRING_SOON_MS, PAGE_SIZES, ROTATION_OVERLAPS } from "./constants";

export { EXPIRING_SOON_MS, PAGE_SIZES, ROTATION_OVERLAPS };

/**
 * One schema per resource, shared by the form's resolver, the server actions and the /v1 API.
 * Field names, labels' limits and messages follow the product page (seeds/002).
 */
export const EXPIRATION_PRESETS = [
  { value: "15m", label: "15 minutes", ms: 15 * 60_000 },
  { value: "1h", label: "1 hour", ms: 60 * 60_000 },
  { value: "8h", label: "8 hours", ms: 8 * 60 * 60_000 },
  { value: "24h", label: "24 hours", ms: 24 * 60 * 60_000 },
  { value: "7d", label: "7 days", ms: 7 * 24 * 60 * 60_000 },
  { value: "30d", label: "30 days", ms: 30 * 24 * 60 * 60_000 },
  { value: "90d", label: "90 days", ms: 90 * 24 * 60 * 60_000 },
] as const;


export const MAX_EXPIRY_YEAR = 9999;

/**
 * Text both databases can store: no lone UTF-16 surrogate (not Unicode, so it has no UTF-8 form
 * and Prisma fails to send it) and no NUL (PostgreSQL's text cannot hold one). With the `u`
 * flag a well-formed surrogate pair is one code point, so emoji and the like pass.
 */
const UNSTORABLE = /[\uD800-\uDFFF\u0000]/u;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, "gu");
export const isStorableText = (value: string) => !UNSTORABLE.test(value);

const name = z
  .string({ error: "Key Name is required." })
  .trim()
  .min(2, "Key Name must be at least 2 characters.")
  .max(200, "Key Name must be at most 200 characters.")
  .refine(isStorableText, "Key Name contains a character that cannot be stored (a broken emoji or a NUL).");

const description = z
  .string()
  .trim()
  .max(1000, "Description must be at most 1000 characters.")
  .refine(isStorableText, "Description contains a character that cannot be stored (a broken emoji or a NUL).")
  .optional()
  .default("");

const groupId = z
  .string({ error: "Select an authorization group." })
  .trim()
  .min(1, "Select an authorization group.")
  .max(64, "Select an authorization group.")
  .refine(isStorableText, "Select an authorization group.");

/**
 * The form's lines, or (for the API) an array of entries, joined into lines: one field, one set
 * of rules, whichever way it comes. Responses always give an array.
 */
const ipAllowlist = z
  .union(
    [
      // The limits, checked below on the joined lines (so that an entry too many gets the same
      // message either way), are stated on each form for the OpenAPI document.
      z.string().meta({ description: "One address or CIDR per line", maxLength: 10_000 }),
      z
        .array(z.string())
        .meta({ maxItems: MAX_ALLOWLIST_ENTRIES })
        .transform((entries) => entries.join("\n")),
    ],
    { error: "IP Allowlist must be text with one address per line, or an array of addresses." },
  )
  .pipe(
    z
      .string()
      .max(10_000, "IP Allowlist is too long.")
      .superRefine((value, ctx) => {
        for (const problem of parseAllowlist(value).problems) ctx.addIssue({ code: "custom", message: problem.message });
      }),
  )
  .optional()
  .default("")
  .meta({ description: "IPv4/IPv6 addresses or CIDRs the key may be used from; empty allows any address. Responses give an array." });

/**
 * Expiration as an ISO date-time string (from a preset or a date picker), or empty for never.
 * "Must be in the future" is checked against the server's clock in the action as well.
 */
const expiresAt = z
  .string()
  .trim()
  .optional()
  .default("")
  .refine((value) => value === "" || !Number.isNaN(Date.parse(value)), "Enter a valid date and time.")
  // Years past 9999 have no four-digit ISO form: SQLite would store "+010000-..." and fail to
  // read it back.
  .refine(
    (value) => value === "" || Number.isNaN(Date.parse(value)) || new Date(value).getUTCFullYear() <= MAX_EXPIRY_YEAR,
    `Expiration Date must be in the year ${MAX_EXPIRY_YEAR} or earlier.`,
  )
  .refine((value) => value === "" || Date.parse(value) > Date.now(), "Expiration Date must be in the future.");

/** A preset relative to the server's clock when the key is created; wins over expiresAt. */
const expiresIn = z
  .enum(EXPIRATION_PRESETS.map((p) => p.value) as [string, ...string[]], {
    error: "Choose one of the expiration presets.",
  })
  .optional();

/** Rate limits and credits (lib/rate-limits/schemas.ts): `rateLimits` null follows the group. */
// serviceAccountId / environmentId (lib/service-accounts/): optional, absent keeps what the key has.
export const apiKeyCreateSchema = z.object({ name, description, groupId, expiresIn, expiresAt, ipAllowlist, ...limitFields, ...keyOwnerFields });
export type ApiKeyCreateInput = z.input<typeof apiKeyCreateSchema>;
export type ApiKeyCreateValues = z.output<typeof apiKeyCreateSchema>;

/** The edit form: the same fields without the expiry, which is not editable (rotation keeps it too). */
export const apiKeyUpdateSchema = apiKeyCreateSchema.omit({ expiresAt: true, expiresIn: true });
export type ApiKeyUpdateInput = z.input<typeof apiKeyUpdateSchema>;
export type ApiKeyUpdateValues = z.output<typeof apiKeyUpdateSchema>;

export const apiKeyRotateSchema = z.object({
  overlap: z.enum(ROTATION_OVERLAPS.map((o) => o.value) as [string, ...string[]]).default("none"),
});

export const KEY_STATUSES = ["active", "disabled", "revoked"] as const;
export const EXPIRY_STATES = ["valid", "expiring_soon", "expired"] as const;
export const SORT_FIELDS = ["created", "expires", "last_used", "name"] as const;
export const KEY_FLAGS = ["idle", "needs_rotation"] as const;
/** What the dashboard's list shows: API keys, signed tokens (JWT), or both (none chosen). */
export const LIST_KINDS = ["key", "token"] as const;
/** The list's "Group by" (lib/api-keys/grouped.ts): the keys of one environment or service account together. */
export const LIST_GROUPS = ["environment", "serviceAccount"] as const;

function csvOf<T extends string>(allowed: readonly T[]) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => {
      const parts = (Array.isArray(value) ? value : (value ?? "").split(",")).map((v) => v.trim());
      return allowed.filter((option) => parts.includes(option));
    });
}

/** List state as it lives in the URL (and in GET /v1/api-keys); bad values fall back to defaults. */
export const apiKeyListSchema = z.object({
  status: csvOf(KEY_STATUSES),
  // The dashboard's Type filter (lib/api-keys/list-entries.ts); GET /v1/api-keys lists keys only.
  kind: csvOf(LIST_KINDS),
  expiry: csvOf(EXPIRY_STATES),
  // Longer searches are cut to 200 characters rather than dropped (a dropped filter lists everything).
  q: z
    .string()
    .optional()
    .catch(undefined)
    // Characters no name can hold (see isStorableText) become U+FFFD, as a URL's undecodable
    // bytes do: the search then matches nothing instead of failing in the database.
    .transform((v) => v?.trim().slice(0, 200).replace(UNSTORABLE_ALL, "\uFFFD") || undefined),
  flag: z.enum(KEY_FLAGS).optional().catch(undefined),
  // A service account's or environment's id ("none": keys without one); unknown ids list nothing.
  serviceAccount: z.string().trim().max(64).optional().catch(undefined).transform((v) => v || undefined),
  environment: z.string().trim().max(64).optional().catch(undefined).transform((v) => v || undefined),
  // Rows of one environment or service account together (groups by name, "none" last), then the sort.
  groupBy: z.enum(LIST_GROUPS).optional().catch(undefined),
  sort: z.enum(SORT_FIELDS).optional().catch(undefined).transform((v) => v ?? "created"),
  order: z.enum(["asc", "desc"]).optional().catch(undefined).transform((v) => v ?? "desc"),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined).transform((v) => v ?? 1),
  pageSize: z.coerce
    .number()
    .int()
    .refine((v) => (PAGE_SIZES as readonly number[]).includes(v))
    .optional()
    .catch(undefined)
    .transform((v) => v ?? 20),
});
export type ApiKeyListParams = z.output<typeof apiKeyListSchema>;
