// The benchmarks' data, made by the test data factory (tests/factory.ts) through the app's Prisma
// client: keys with real secrets hashed under this run's KEYWARD_HASH_SECRET, in multi-row
// INSERTs (the domain's create takes a transaction and an audit event per key: minutes for
// 10,000 keys, and it is not what is measured). Needs `node --import tsx`.
import { SECRETS } from "./common.mjs";
import { createKeys } from "../../tests/factory.ts";

export const DAY = 24 * 60 * 60_000;

/** Deterministic PRNG (mulberry32), so that every run gets the same mix. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The app's Prisma client on a bench database file, with this run's secrets in the environment
 * (the servers get the same ones, bench/lib/common.mjs): the factory hashes keys and chains
 * audit events with them, as the app does. Call work(db); the client is closed afterwards.
 */
export async function withBenchDb(file, work) {
  Object.assign(process.env, SECRETS);
  const { createPrismaClient } = await import("../../lib/db/prisma.ts");
  const db = createPrismaClient(`file:${file}`);
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

/** The id of the tenant `slug` and of its key group `groupName`. */
export async function tenantGroup(db, slug, groupName = "Full access") {
  const tenant = await db.tenant.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  const group = await db.authorizationGroup.findFirstOrThrow({ where: { tenantId: tenant.id, name: groupName }, select: { id: true } });
  return { tenantId: tenant.id, groupId: group.id };
}

/**
 * `count` keys in the tenant `slug`, in a mix of states (a tenth revoked, a tenth expired, some
 * expiring within a week, some never used), in its key groups; the tenant's limit is raised to fit.
 */
export async function insertKeys(file, slug, count, now = new Date()) {
  await withBenchDb(file, async (db) => {
    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug }, select: { id: true } });
    const groups = await db.authorizationGroup.findMany({ where: { tenantId: tenant.id, type: "tenant_api_key" }, orderBy: { name: "asc" } });
    const random = prng(42);
    const at = (days) => new Date(now.getTime() + days * DAY);
    const keys = Array.from({ length: count }, (_, i) => {
      const r = random();
      const createdAt = at(-1 - Math.floor(random() * 300));
      const expiresAt = r < 0.2 && r >= 0.1 ? at(-1) : r < 0.3 ? at(random() * 7) : r < 0.6 ? at(30 + random() * 300) : null;
      const lastUsedAt = random() < 0.8 ? at(-random() * 60) : null;
      return {
        groupId: groups[i % groups.length].id,
        name: `Bench ${["Sync", "Exporter", "Webhook", "Worker"][i % 4]} ${i + 1}`,
        createdAt,
        expiresAt,
        lastUsedAt,
        revokedAt: r < 0.1 ? at(-1) : null,
      };
    });
    await createKeys(db, tenant.id, keys);
    await db.tenant.update({ where: { id: tenant.id }, data: { keyLimit: count * 2 } });
  });
}

/**
 * Keys in Acme's "Full access" group (`specs`: { name, limits? }, for createKeys), their secrets,
 * and with `root` a root key for every tenant.
 */
export function seedBenchKeys(file, specs, { root = false } = {}) {
  return withBenchDb(file, async (db) => {
    const { tenantId, groupId } = await tenantGroup(db, "acme");
    const keys = await createKeys(db, tenantId, specs.map((spec) => ({ groupId, ...spec })));
    return { tenantId, secrets: keys.map((key) => key.secret), root: root ? await createBenchRootKey(db) : null };
  });
}

/** A root key for every tenant, made by the domain's createRootKey as the super user; its secret. */
export async function createBenchRootKey(db) {
  const { createRootKey } = await import("../../lib/root-keys/mutations.ts");
  const superUser = await db.user.findFirstOrThrow({ where: { isSuperUser: true }, select: { id: true, email: true } });
  const ctx = { actor: { userId: superUser.id, label: superUser.email }, requestId: "req_bench_root_key" };
  const created = await createRootKey(db, ctx, { name: "bench", allTenants: true, tenantIds: [] });
  if (!created.ok) throw new Error(`createRootKey: ${created.error.message}`);
  return created.value.secret;
}
