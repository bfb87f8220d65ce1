import { hashApiKey, displayPrefix, generateApiKeySecret } from "../api-keys/key-format";
import { hashPassword } from "../auth/password";
import { SCOPES } from "../auth/permissions";
import type { Db } from "./prisma";
import { defaultEnvironments } from "../environments/defaults";

/** The one documented demo password of every seeded account (README, "Demo accounts"). */
export const DEMO_PASSWORD = "keyward-demo";

export const DEMO_USERS = [
  { email: "owner@acme.test", name: "Olivia Owner", tenant: "acme", role: "owner" },
  { email: "admin@acme.test", name: "Adam Admin", tenant: "acme", role: "admin" },
  { email: "operator@acme.test", name: "Oscar Operator", tenant: "acme", role: "operator" },
  { email: "admin@globex.test", name: "Grace Globex", tenant: "globex", role: "admin" },
  { email: "super@keyward.test", name: "Sam Super", tenant: null, role: null },
] as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type SeedResult = { seeded: boolean };

// The seed is some 60 statements in one interactive transaction, each a round trip: on a busy
// PostgreSQL server they took longer than Prisma's default 5 s timeout ("Transaction API error:
// A query cannot be executed on an expired transaction"), and then nothing is seeded at all.
const SEED_TX_OPTIONS = { maxWait: 15_000, timeout: 60_000 } as const;

/**
 * Fills a new database with the demo tenants, users, groups and keys. A database that already
 * has a tenant is left exactly as it is, so starting Keyward twice never seeds twice. The check
 * and the inserts share one transaction: two starts racing on one file cannot both seed.
 */
export async function seedDemoData(db: Db, now = new Date()): Promise<SeedResult> {
  // Hash outside the transaction: scrypt is slow and the transaction holds the write lock.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  return db.$transaction(async (tx) => {
    if ((await tx.tenant.count()) > 0 || (await tx.user.count()) > 0) return { seeded: false };

    // Each with the default environments, as every tenant has them (lib/environments/defaults.ts).
    const acme = await tx.tenant.create({ data: { name: "Acme", slug: "acme", keyLimit: 10, environments: defaultEnvironments() } });
    const globex = await tx.tenant.create({ data: { name: "Globex", slug: "globex", keyLimit: 10, environments: defaultEnvironments() } });
    const tenants = { acme, globex };

    const users: Record<string, { id: string }> = {};
    for (const u of DEMO_USERS) {
      const user = await tx.user.create({
        data: { email: u.email, name: u.name, passwordHash, isSuperUser: u.tenant === null },
      });
      users[u.email] = user;
      if (u.tenant) {
        await tx.membership.create({ data: { userId: user.id, tenantId: tenants[u.tenant].id, role: u.role } });
      }
    }

    const group = (tenantId: string, name: string, type: string, scopes: string, description: string) =>
      tx.authorizationGroup.create({ data: { tenantId, name, type, scopes, description } });
    const acmeReadOnly = await group(acme.id, "Read only", "tenant_api_key", SCOPES.keysRead, "List keys and read data");
    const acmeFull = await group(
      acme.id,
      "Full access",
      "tenant_api_key",
      `${SCOPES.keysRead} ${SCOPES.keysWrite}`,
      "Manage keys through the API",
    );
    await group(acme.id, "Support staff", "user", "tickets:read tickets:write", "People, not keys: never offered for keys");
    const globexAutomation = await group(
      globex.id,
      "Globex automation",
      "tenant_api_key",
      `${SCOPES.keysRead} ${SCOPES.keysWrite}`,
      "Globex's integrations",
    );

    const key = async (data: {
      tenantId: string;
      groupId: string;
      name: string;
      description?: string;
      createdById: string;
      createdAt: Date;
      expiresAt?: Date | null;
      lastUsedAt?: Date | null;
      revokedAt?: Date | null;
      ipAllowlist?: string;
      serviceAccountId?: string;
      /** Every key has one (lib/environments/defaults.ts). */
      environmentId: string;
    }) => {
      // Seeded keys get real, random secrets that nobody ever sees: they exist to be listed.
      const secret = generateApiKeySecret();
      return tx.apiKey.create({
        data: {
          ...data,
          prefix: displayPrefix(secret),
          hash: hashApiKey(secret),
          status: data.revokedAt ? "revoked" : "active",
        },
        select: { id: true },
      });
    };
    const owner = users["owner@acme.test"].id;
    const admin = users["admin@acme.test"].id;
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const ahead = (ms: number) => new Date(now.getTime() + ms);

    // Owners and environments (issue 15): every tenant has the default environments; Acme's
    // keys belong to service accounts answerable to a person.
    const envs: Record<string, Record<string, string>> = { acme: {}, globex: {} };
    for (const [slug, tenant] of Object.entries(tenants)) {
      for (const env of await tx.environment.findMany({ where: { tenantId: tenant.id }, select: { id: true, name: true } })) envs[slug][env.name] = env.id;
    }
    const account = async (name: string, description: string, ownerUserId: string) =>
      (await tx.serviceAccount.create({ data: { tenantId: acme.id, name, description, ownerUserId, createdAt: ago(60 * DAY) }, select: { id: true } })).id;
    const scheduler = await account("scheduler", "Runs the nightly and staging jobs", owner);
    const erpBridge = await account("erp-bridge", "Syncs orders between the ERP and Acme", admin);

    const erp = await key({
      tenantId: acme.id,
      groupId: acmeFull.id,
      name: "ERP Integration",
      description: "Nightly order sync from the ERP",
      createdById: owner,
      createdAt: ago(40 * DAY),
      expiresAt: ahead(90 * DAY),
      lastUsedAt: ago(5 * MINUTE),
      ipAllowlist: "203.0.113.0/24\n2001:db8::/32",
      serviceAccountId: erpBridge,
      environmentId: envs.acme.production,
    });
    await key({
      tenantId: acme.id,
      groupId: acmeReadOnly.id,
      name: "Mobile App",
      description: "Read-only access for the mobile app backend",
      createdById: admin,
      createdAt: ago(20 * DAY),
      expiresAt: null,
      lastUsedAt: ago(2 * DAY),
      environmentId: envs.acme.production,
    });
    await key({
      tenantId: acme.id,
      groupId: acmeReadOnly.id,
      name: "Reporting Exporter",
      description: "Expires soon: rotate before the end of the week",
      createdById: admin,
      createdAt: ago(83 * DAY),
      expiresAt: ahead(3 * DAY),
      lastUsedAt: ago(1 * DAY),
      serviceAccountId: scheduler,
      environmentId: envs.acme.production,
    });
    await key({
      tenantId: acme.id,
      groupId: acmeFull.id,
      name: "Staging Scheduler",
      description: "Created for staging, never used yet",
      createdById: owner,
      createdAt: ago(1 * DAY),
      expiresAt: ahead(30 * DAY),
      lastUsedAt: null,
      serviceAccountId: scheduler,
      environmentId: envs.acme.staging,
    });
    await key({
      tenantId: acme.id,
      groupId: acmeReadOnly.id,
      name: "Legacy Webhook Relay",
      description: "Expired last month",
      createdById: admin,
      createdAt: ago(120 * DAY),
      expiresAt: ago(30 * DAY),
      lastUsedAt: ago(31 * DAY),
      environmentId: envs.acme.development,
    });
    await key({
      tenantId: acme.id,
      groupId: acmeFull.id,
      name: "Contractor Sync",
      description: "Revoked when the contract ended",
      createdById: owner,
      createdAt: ago(60 * DAY),
      expiresAt: null,
      lastUsedAt: ago(15 * DAY),
      revokedAt: ago(14 * DAY),
      environmentId: envs.acme.production,
    });
    await key({
      tenantId: globex.id,
      groupId: globexAutomation.id,
      name: "Globex Billing Bridge",
      description: "Globex's own key: never visible to Acme",
      createdById: users["admin@globex.test"].id,
      createdAt: ago(10 * DAY),
      expiresAt: null,
      lastUsedAt: ago(1 * MINUTE),
      environmentId: envs.globex.production,
    });

    // A month of traffic for the ERP key, so that its page has a chart to show.
    for (let i = 0; i < 30; i++) {
      const day = new Date(now.getTime() - i * DAY).toISOString().slice(0, 10);
      await tx.apiKeyUsageDaily.create({
        data: { keyId: erp.id, day, successCount: 400 + ((i * 37) % 180), failureCount: i % 6 === 0 ? 3 + (i % 4) : 0 },
      });
    }

    // The ERP key's request log of the last three days: its usual address, a few refusals from
    // outside its allowlist, and one address first seen today (the page's "new address" hint).
    const requests = Array.from({ length: 72 }, (_, i) => ({
      tenantId: acme.id,
      keyId: erp.id,
      at: ago(i * HOUR + 7 * MINUTE),
      requestId: `req_seed_${String(i).padStart(4, "0")}`,
      outcome: i % 12 === 5 ? "IP_NOT_ALLOWED" : "VALID",
      clientIp: i % 12 === 5 ? "198.51.100.40" : i === 2 ? "203.0.113.99" : "203.0.113.10",
      method: i % 3 === 0 ? "POST" : "GET",
      path: i % 3 === 0 ? "/v1/api-keys" : "/v1/whoami",
      userAgent: "erp-sync/4.2",
      source: "v1",
    }));
    // And a failure spike (the page's other hint): eight refusals from outside the allowlist
    // within one clock hour three to four hours ago, against two in the rest of the day. The
    // hint counts by clock hour, so the burst starts at that hour's first minute.
    const spikeHour = Math.floor((now.getTime() - 3 * HOUR) / HOUR) * HOUR;
    const spike = Array.from({ length: 8 }, (_, i) => ({
      tenantId: acme.id,
      keyId: erp.id,
      at: new Date(spikeHour + (i * 3 + 1) * MINUTE),
      requestId: `req_seed_spike_${String(i).padStart(2, "0")}`,
      outcome: "IP_NOT_ALLOWED",
      clientIp: "198.51.100.40",
      method: "POST",
      path: "/v1/api-keys",
      userAgent: "erp-sync/4.2",
      source: "v1",
    }));
    await tx.requestLog.createMany({ data: [...requests, ...spike] });

    return { seeded: true };
  }, SEED_TX_OPTIONS);
}
