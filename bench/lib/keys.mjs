// Random ids, key rows and Prisma's SQLite date format for the benchmarks' bulk data, written
// straight into a SQLite file (the domain's create takes a transaction and an audit event per
// key: minutes for 10,000 keys, and it is not what is measured).
import { randomBytes, randomInt } from "node:crypto";
import Database from "better-sqlite3";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const DAY = 24 * 60 * 60_000;

/** Prisma's storage format for DateTime on SQLite. */
export const prismaDate = (date) => date.toISOString().replace("Z", "+00:00");

export function base62(length) {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
  return out;
}

/** cuid-like: 'c' + 24 lowercase base36 characters. */
export function cuidLike() {
  let out = "c";
  for (let i = 0; i < 24; i++) out += "0123456789abcdefghijklmnopqrstuvwxyz"[randomInt(36)];
  return out;
}

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
 * `count` keys in the tenant `slug`, in a mix of states (a tenth revoked, a tenth expired, some
 * expiring within a week, some never used), in its key groups; the tenant's limit is raised to fit.
 */
export function insertKeys(file, slug, count, now = new Date()) {
  const db = new Database(file);
  try {
    const tenant = db.prepare(`SELECT "id" FROM "Tenant" WHERE "slug" = ?`).get(slug);
    const groups = db.prepare(`SELECT "id" FROM "AuthorizationGroup" WHERE "tenantId" = ? AND "type" = 'tenant_api_key'`).all(tenant.id);
    const insert = db.prepare(`INSERT INTO "ApiKey" ("id", "tenantId", "groupId", "name", "prefix", "hash", "ipAllowlist", "status",
      "expiresAt", "lastUsedAt", "revokedAt", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)`);
    const random = prng(42);
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const r = random();
        const at = (days) => prismaDate(new Date(now.getTime() + days * DAY));
        const createdAt = at(-1 - Math.floor(random() * 300));
        const status = r < 0.1 ? "revoked" : "active";
        const expiresAt = r < 0.2 && r >= 0.1 ? at(-1) : r < 0.3 ? at(random() * 7) : r < 0.6 ? at(30 + random() * 300) : null;
        const lastUsedAt = random() < 0.8 ? at(-random() * 60) : null;
        insert.run(cuidLike(), tenant.id, groups[i % groups.length].id, `Bench ${["Sync", "Exporter", "Webhook", "Worker"][i % 4]} ${i + 1}`,
          "kw_" + base62(8), randomBytes(32).toString("hex"), status, expiresAt, lastUsedAt, status === "revoked" ? at(-1) : null, createdAt, createdAt);
      }
      db.prepare(`UPDATE "Tenant" SET "keyLimit" = ? WHERE "id" = ?`).run(count * 2, tenant.id);
    })();
  } finally {
    db.close();
  }
}
