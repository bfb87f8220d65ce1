import type { Tx } from "@/lib/db/prisma";
import { fail, type Failure } from "@/lib/result";

/** The columns to write for a key's owner fields (schemas in ./schemas.ts), or the field errors. */
export type KeyOwnerValues = { serviceAccountId?: string | null; environmentId?: string | null };

export async function resolveKeyOwner(
  tx: Tx,
  tenantId: string,
  values: KeyOwnerValues,
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
  if (values.environmentId !== undefined) {
    if (values.environmentId !== null) {
      const found = await tx.environment.findFirst({ where: { id: values.environmentId, tenantId }, select: { id: true } });
      if (!found) errors.environmentId = ["No such environment in this tenant."];
    }
    data.environmentId = values.environmentId;
  }
  if (Object.keys(errors).length > 0) return fail("validation", "Some fields need attention.", errors);
  return { ok: true, data };
}
