// Test and benchmark data, made by the app's own code: rows go through the Prisma client (its
// storage format on either database), keys get real secrets hashed by lib/api-keys/key-format,
// passwords are hashed by lib/auth/password and audit events are appended by lib/audit/write
// under the tenant's lock, as every audited change does. The one way to seed data beside the
// demo seed, for the unit tests (directly), the benchmarks (through tsx) and the browser tests
// (compiled with esbuild into dist/e2e/factory.mjs, e2e/fixtures/db.ts: Playwright's loader
// cannot load the generated ESM Prisma client itself).
import type { Db } from "@/lib/db/prisma";
import { hashPassword } from "@/lib/auth/password";
import { displayPrefix, generateApiKeySecret, hashApiKey } from "@/lib/api-keys/key-format";
import { normalizeAllowlist } from "@/lib/api-keys/ip-allowlist";
import { writeAuditEvents, type AuditInput } from "@/lib/audit/write";
import { LOCKED_TX_OPTIONS, lockTenant } from "@/lib/db/tenant-lock";
import { limitColumns, type LimitValues } from "@/lib/rate-limits/key-fields";
import { defaultEnvironmentId, defaultEnvironments } from "@/lib/environments/defaults";

export type MemberSpec = { email: string; name: string; role: "owner" | "admin" | "operator" };
export type GroupSpec = { name: string; type: "tenant_api_key" | "user"; scopes: string; description?: string | null };
export type TenantSpec = {
  name: string;
  slug: string;
  keyLimit?: number;
  rotationPolicyDays?: number;
  /** Users created as members of the tenant, all with `password`. */
  members?: MemberSpec[];
  password?: string;
  groups?: GroupSpec[];
};
/** Ids of what createTenant made: users by email, groups by name. */
export type CreatedTenant = { id: string; users: Record<string, string>; groups: Record<string, string> };

/** A tenant with its members, groups and the default environments, in one transaction. */
export async function createTenant(db: Db, spec: TenantSpec): Promise<CreatedTenant> {
  const members = spec.members ?? [];
  if (members.length > 0 && !spec.password) throw new Error("createTenant: members need a password");
  // Hashed once, outside the transaction: scrypt is slow and the transaction holds a write lock.
  const passwordHash = members.length > 0 ? await hashPassword(spec.password!) : "";
  const tenant = await db.tenant.create({
    data: {
      name: spec.name,
      slug: spec.slug,
      keyLimit: spec.keyLimit,
      rotationPolicyDays: spec.rotationPolicyDays,
      // As every tenant has them (lib/environments/defaults.ts).
      environments: defaultEnvironments(),
      groups: { create: (spec.groups ?? []).map((g) => ({ name: g.name, type: g.type, scopes: g.scopes, description: g.description ?? null })) },
      memberships: { create: members.map((m) => ({ role: m.role, user: { create: { email: m.email, name: m.name, passwordHash } } })) },
    },
    select: { id: true, groups: { select: { id: true, name: true } }, memberships: { select: { user: { select: { id: true, email: true } } } } },
  });
  return {
    id: tenant.id,
    users: Object.fromEntries(tenant.memberships.map((m) => [m.user.email, m.user.id])),
    groups: Object.fromEntries(tenant.groups.map((g) => [g.name, g.id])),
  };
}

export type KeySpec = {
  groupId: string;
  name: string;
  description?: string | null;
  /** Newline-separated addresses or CIDRs, normalized as the app stores them. */
  ipAllowlist?: string;
  createdAt?: Date;
  expiresAt?: Date | null;
  lastUsedAt?: Date | null;
  /** Set: the key is revoked (at this time). */
  revokedAt?: Date | null;
  rotatedAt?: Date | null;
  createdById?: string | null;
  /** Rate limits and credits, stored as the key form's values are (lib/rate-limits/key-fields). */
  limits?: LimitValues;
  serviceAccountId?: string | null;
  /** Absent: the tenant's production, as for a key created without one (every key has one). */
  environmentId?: string;
};
export type CreatedKeyRow = { id: string; name: string; prefix: string; secret: string };

// Rows per INSERT: 23 columns each stays far below SQLite's 32,766 bound parameters.
const KEY_CHUNK = 500;

/**
 * Keys as the demo seed writes them: each with a real secret (returned, never stored), its
 * display prefix and its HMAC, and no audit event (they exist to be listed, filtered and
 * changed; a test that needs a create's event makes the key through createApiKey). Multi-row
 * INSERTs, so that a benchmark's 10,000 keys take a second rather than 10,000 transactions.
 */
export async function createKeys(db: Db, tenantId: string, keys: KeySpec[]): Promise<CreatedKeyRow[]> {
  const made = keys.map((key) => {
    const secret = generateApiKeySecret();
    return { secret, prefix: displayPrefix(secret), hash: hashApiKey(secret), key };
  });
  const ids = new Map<string, string>();
  const production = keys.some((key) => !key.environmentId) ? await defaultEnvironmentId(db, tenantId) : null;
  for (let i = 0; i < made.length; i += KEY_CHUNK) {
    const rows = await db.apiKey.createManyAndReturn({
      data: made.slice(i, i + KEY_CHUNK).map(({ prefix, hash, key }) => ({
        tenantId,
        groupId: key.groupId,
        name: key.name,
        description: key.description ?? null,
        prefix,
        hash,
        ipAllowlist: normalizeAllowlist(key.ipAllowlist ?? ""),
        expiresAt: key.expiresAt ?? null,
        lastUsedAt: key.lastUsedAt ?? null,
        status: key.revokedAt ? "revoked" : "active",
        revokedAt: key.revokedAt ?? null,
        rotatedAt: key.rotatedAt ?? null,
        createdById: key.createdById ?? null,
        createdAt: key.createdAt,
        updatedAt: key.createdAt,
        serviceAccountId: key.serviceAccountId ?? null,
        environmentId: key.environmentId ?? production,
        ...(key.limits ? limitColumns(key.limits, key.createdAt ?? new Date()).data : {}),
      })),
      select: { id: true, hash: true },
    });
    for (const row of rows) ids.set(row.hash, row.id);
  }
  return made.map(({ secret, prefix, hash, key }) => ({ id: ids.get(hash)!, name: key.name, prefix, secret }));
}

const EVENT_CHUNK = 5000;

/**
 * Events of one tenant appended to its chain by the app's own writer (writeAuditEvents: keyed
 * hashes, checkpoints every 100), in one transaction under the tenant's lock. `createdAt` in
 * whole milliseconds, as the app writes them.
 */
export async function appendAuditEvents(db: Db, inputs: AuditInput[]): Promise<{ seq: number; requestId: string }[]> {
  const written: { seq: number; requestId: string }[] = [];
  // A benchmark's 100,000 events in transactions of EVENT_CHUNK, each well inside the timeout.
  for (let i = 0; i < inputs.length; i += EVENT_CHUNK) {
    const chunk = inputs.slice(i, i + EVENT_CHUNK);
    const rows = await db.$transaction(async (tx) => {
      if (!(await lockTenant(tx, chunk[0].tenantId))) throw new Error(`appendAuditEvents: no tenant ${chunk[0].tenantId}`);
      return writeAuditEvents(tx, chunk);
    }, LOCKED_TX_OPTIONS);
    for (const row of rows) written.push({ seq: row.seq, requestId: row.requestId });
  }
  return written;
}

/** The tenant, everything in it, and the given users (its members); children first, as the foreign keys require. */
export async function deleteTenant(db: Db, tenantId: string, userIds: string[] = []): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.apiKeyUsageDaily.deleteMany({ where: { key: { tenantId } } });
    await tx.requestLog.deleteMany({ where: { tenantId } });
    await tx.apiKey.deleteMany({ where: { tenantId } });
    await tx.serviceAccount.deleteMany({ where: { tenantId } });
    await tx.environment.deleteMany({ where: { tenantId } });
    await tx.auditEvent.deleteMany({ where: { tenantId } });
    await tx.auditCheckpoint.deleteMany({ where: { tenantId } });
    await tx.issuedToken.deleteMany({ where: { tenantId } });
    await tx.connection.deleteMany({ where: { tenantId } });
    await tx.membership.deleteMany({ where: { tenantId } });
    await tx.authorizationGroup.deleteMany({ where: { tenantId } });
    await tx.tenant.deleteMany({ where: { id: tenantId } });
    await tx.session.deleteMany({ where: { userId: { in: userIds } } });
    await tx.user.deleteMany({ where: { id: { in: userIds } } });
  }, LOCKED_TX_OPTIONS);
}
