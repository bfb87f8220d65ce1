import { z } from "zod";
import { parseAllowlistEntry } from "../api-keys/ip-allowlist";
import { REQUEST_OUTCOMES, REQUEST_VIA } from "./types";

const blank = (value: unknown) => (value === "" || value === null ? undefined : value);
const time = (what: string) =>
  z.preprocess(
    blank,
    z
      .string()
      .max(40)
      .refine((text) => !Number.isNaN(Date.parse(/T\d{2}:\d{2}(:[\d.]+)?$/.test(text) ? `${text}Z` : text)), `${what} must be a date and time, e.g. 2026-12-01T09:00.`)
      // A time without a zone (the form's datetime-local) is UTC, as the page labels it.
      .transform((text) => new Date(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text))
      .optional(),
  );

/**
 * The key page's request log filters (URL search params). Addresses are one exact address, as
 * stored (the index serves equality); the cursor is the last row's `at` and id (keyset paging,
 * newest first).
 */
export const requestLogFilterSchema = z
  .object({
    outcome: z.preprocess(blank, z.enum(REQUEST_OUTCOMES, { error: "Choose an outcome from the list." }).optional()),
    ip: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .max(64)
        .refine((v) => !v.includes("/") && parseAllowlistEntry(v) !== null, "Address must be one IPv4 or IPv6 address.")
        .optional(),
    ),
    // Who presented it: the key itself, or a signed token exchanged from it (RequestLog.via).
    via: z.preprocess(blank, z.enum(REQUEST_VIA, { error: "Choose Key or Token." }).optional()),
    from: time("From"),
    to: time("To"),
    before: z.preprocess(blank, z.string().regex(/^\d{1,15}:\d{1,12}$/, "Not a page cursor.").optional()),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "From must be before To.", path: ["to"] });
export type RequestLogFilters = z.infer<typeof requestLogFilterSchema>;

/** The filters of a URL's search params, or the field errors to show (the log then unfiltered). */
export function parseRequestLogFilters(params: Record<string, string | string[] | undefined>) {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = requestLogFilterSchema.safeParse(flat);
  if (parsed.success) return { filters: parsed.data, errors: {} as Record<string, string> };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "_")] ??= issue.message;
  return { filters: null, errors };
}
