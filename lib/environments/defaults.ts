import type { Tx } from "@/lib/db/prisma";

// No runtime import: the Generate form reads DEFAULT_ENVIRONMENT in the browser.

/**
 * Every key has an environment (issue 15). A key created without one runs in its tenant's
 * `production`, which therefore cannot be deleted (./mutations.ts deleteEnvironment); the
 * migration 20261205010000_default_environments gave existing keys theirs.
 */
export const DEFAULT_ENVIRONMENT = "production";
export const DEFAULT_ENVIRONMENTS = [DEFAULT_ENVIRONMENT, "staging", "development"] as const;

/**
 * The default environments as a nested create of `tenant.create({ data: { environments } })`:
 * whatever creates a tenant (the demo seed, tests/factory.ts) creates them in the same INSERTs.
 */
export function defaultEnvironments() {
  return { create: DEFAULT_ENVIRONMENTS.map((name) => ({ name })) };
}

/** The id of the tenant's production environment, or null if it has none (not made by Keyward). */
export async function defaultEnvironmentId(tx: Pick<Tx, "environment">, tenantId: string): Promise<string | null> {
  const found = await tx.environment.findFirst({ where: { tenantId, name: DEFAULT_ENVIRONMENT }, select: { id: true } });
  return found?.id ?? null;
}
