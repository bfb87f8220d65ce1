import type { Tx } from "@/lib/db/prisma";
import { fail, type Failure } from "@/lib/result";
import { defaultEnvironmentId } from "@/lib/environments/defaults";

/** The columns to write for a key's owner fields (schemas in ./schemas.ts), or the field errors. */
export type KeyOwnerValues = { serviceAccountId?: string | null; environmentId?: string | null };

/**
 * Checks that the ids are the tenant's own (another tenant's id is the same field error as one
 * that does not exist). Every key has an environment: a new key without one (absent or null)
 * gets the tenant's production; an edit may leave it out (unchanged) but not clear it. A
 * service account stays optional.
 */
export async function resolveKeyOwner(
  tx: Tx,
  tenantId: string,
  values: KeyOwnerValues,
  mode: "create" | "update" = "update",
): Promise<{ ok: true; data: KeyOwnerValues } | Failure> {
  const errors: Record<string, string[]> = {};
  const data: KeyOwnerValues = {};
  if (values.serviceAccountId !== undefined) {
    if (values.serviceAccountId !== null) {
      const found = await tx.serviceAccount.findFirst({ where: { id: values.serviceAccountId, tenantId }, select: { id: true } });
      if (!found) errors.serviceAccountId = ["No such service account in this tenant."];
    }
    data.serviceAccountId = values.serviceAccountId;
  }
  if (values.environmentId != null) {
    const found = await tx.environment.findFirst({ where: { id: values.environmentId, tenantId }, select: { id: true } });
    if (!found) errors.environmentId = ["No such environment in this tenant."];
    data.environmentId = values.environmentId;
  } else if (mode === "create") {
    const production = await defaultEnvironmentId(tx, tenantId);
    if (!production) errors.environmentId = ["Choose an environment: this tenant has no production environment."];
    data.environmentId = production;
  } else if (values.environmentId === null) {
    errors.environmentId = ["Every key has an environment: choose one."];
  }
  if (Object.keys(errors).length > 0) return fail("validation", "Some fields need attention.", errors);
  return { ok: true, data };
}
