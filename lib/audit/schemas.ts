import { z } from "zod";
import "../zod-jitless";
import { AUDIT_ACTIONS, AUDIT_ACTOR_TYPES } from "./actions";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

/** Audit log filters as they live in the URL and in the CSV export link. */
export const auditListSchema = z.object({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  // "service_account" (the seed's runbook: "actor_type=service_account entries") is the API key
  // type: a service account acts only through its keys.
  actorType: z
    .preprocess((v) => (v === "service_account" ? "api_key" : v), z.enum(AUDIT_ACTOR_TYPES))
    .optional()
    .catch(undefined),
  actor: z.string().trim().max(320).optional().catch(undefined),
  key: z.string().trim().max(64).optional().catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined).transform((v) => v ?? 1),
  pageSize: z.coerce
    .number()
    .int()
    .refine((v) => [25, 50, 100].includes(v))
    .optional()
    .catch(undefined)
    .transform((v) => v ?? 50),
});
export type AuditListParams = z.output<typeof auditListSchema>;
