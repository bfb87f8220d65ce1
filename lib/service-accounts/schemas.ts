import { z } from "zod";
import "../zod-jitless";

/**
 * A key's service account and environment (issue 15), as the key forms and /v1 send them: an id
 * of the tenant's own, null (or "") for none, or absent to keep what the key has. An id of
 * another tenant is the same field error as one that does not exist, and nothing is written.
 * Every key has an environment: lib/service-accounts/key-owner.ts makes a new key's missing one
 * production and refuses null on an edit.
 */
const ownerId = (what: string, description: string) =>
  z
    .string({ error: `Choose a ${what} from the list.` })
    .trim()
    .max(64, `Choose a ${what} from the list.`)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional()
    .describe(description);

export const keyOwnerFields = {
  serviceAccountId: ownerId("service account", "The tenant's service account that uses the key; null: none. Omitted on update: unchanged."),
  environmentId: ownerId(
    "environment",
    "The tenant's environment the key runs in. On create, omitted or null: the tenant's production. On update, omitted: unchanged; null is refused (every key has one).",
  ),
};


const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(min, `${label} must be at least ${min} characters.`)
    .max(max, `${label} must be at most ${max} characters.`)
    .refine((v) => !/[\uD800-\uDFFF\u0000]/u.test(v), `${label} contains a character that cannot be stored.`);

/** A service account: who (a machine) uses the keys, and which person answers for it. */
export const serviceAccountSchema = z.object({
  name: text("Name", 2, 100),
  description: z.string().trim().max(500, "Description must be at most 500 characters.").optional().default(""),
  ownerUserId: z.string({ error: "Choose the owner, a member of this tenant." }).trim().min(1, "Choose the owner, a member of this tenant.").max(64),
});
export type ServiceAccountInput = z.input<typeof serviceAccountSchema>;

/** An environment's name: lower-case words, as keys are named by service and environment. */
export const environmentSchema = z.object({
  name: z
    .string({ error: "Name is required." })
    .trim()
    .min(2, "Name must be at least 2 characters.")
    .max(40, "Name must be at most 40 characters.")
    .regex(/^[a-z0-9][a-z0-9-]*$/, "Use lower-case letters, digits and dashes, e.g. production or eu-staging."),
});
