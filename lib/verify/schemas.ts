import { z } from "zod";
import { parseAllowlistEntry } from "../api-keys/ip-allowlist";
import { costSchema } from "../rate-limits/schemas";

export const VERIFY_BODY_LIMIT = 8 * 1024;

// The request body of POST /v1/keys/verify (also in the OpenAPI document, lib/api/openapi.ts).
export const verifyRequestSchema = z.strictObject({
  // An API key, or one of Keyward's signed tokens (at most 4096 bytes: lib/tokens/verify-token.ts).
  key: z.string({ error: "key must be a string." }).min(1, "key must not be empty.").max(4096, "key is at most 4096 characters."),
  scope: z.string().min(1).max(200, "scope is at most 200 characters.").regex(/^[A-Za-z0-9_.:\-*/]+$/, "scope has characters no scope uses.").optional(),
  clientIp: z
    .string()
    .max(64)
    .refine((value) => !value.includes("/") && parseAllowlistEntry(value) !== null, "clientIp must be one IPv4 or IPv6 address.")
    .optional(),
  /** Credits this verification spends (default 1; 0 checks without spending). */
  cost: costSchema,
});

export const VERIFY_CODES = ["VALID", "NOT_FOUND", "EXPIRED", "REVOKED", "DISABLED", "INSUFFICIENT_SCOPE", "IP_NOT_ALLOWED", "RATE_LIMITED", "USAGE_EXCEEDED"] as const;
export type VerifyCode = (typeof VERIFY_CODES)[number];
