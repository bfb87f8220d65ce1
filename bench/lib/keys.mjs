// Bulk key rows for the benchmarks, written with better-sqlite3 in one transaction.
// Dates are stored exactly as Prisma's SQLite adapter stores them ('2026-11-23T18:14:40.303+00:00'),
// because the list's filters compare these strings.
import { randomBytes, randomInt } from "node:crypto";
import Database from "better-sqlite3";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Prisma's storage format for DateTime on SQLite. */
export function prismaDate(date) {
  return date.toISOString().replace("Z", "+00:00");
}

function base62(length) {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
  return out;
}

/** cuid-like: 'c' + 24 lowercase base36 characters. */
function cuidLike() {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  let out = "c";
  for (let i = 0; i < 24; i++) out += alphabet[randomInt(36)];
  return out;
}

/** Deterministic PRNG (mulberry32) so that both databases get the same mix of key states. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYSTEMS = ["Billing", "Inventory", "CRM", "Warehouse", "Payroll", "Analytics", "Search", "Support", "Ledger", "Shipping"];
const ROLES = ["Sync", "Exporter", "Importer", "Webhook Relay", "Scheduler", "Bridge", "Worker", "Dashboard"];

/** The tenant's ids needed for new rows. */
export function tenantIds(dbFile, slug) {
  const db = new Database(dbFile, { readonly: true });
  try {
    const tenant = db.prepare(`SELECT id FROM "Tenant" WHERE slug = ?`).get(slug);
    const groups = db
      .prepare(`SELECT id, name FROM "AuthorizationGroup" WHERE tenantId = ? AND type = 'tenant_api_key' ORDER BY name`)
      .all(tenant.id);
    const owner = db
      .prepare(`SELECT u.id FROM "User" u JOIN "Membership" m ON m.userId = u.id WHERE m.tenantId = ? AND m.role = 'owner'`)
      .get(tenant.id);
    return { tenantId: tenant.id, groups, ownerId: owner?.id ?? null };
  } finally {
    db.close();
  }
}

/**
 * Adds `count` keys to the tenant: about 1/8 named "... Sync ...", 15% revoked, expiry mixed
 * (30% never, 10% expired, 10% expiring within 7 days, 50% later), 20% never used.
 * `first` overrides the first rows (to make sure a small database has a row for every filter).
 */
export function insertKeys(dbFile, slug, count, { seed = 42, now = new Date(), first = [] } = {}) {
  const { tenantId, groups, ownerId } = tenantIds(dbFile, slug);
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const db = new Database(dbFile);
  const insert = db.prepare(`INSERT INTO "ApiKey" (
      "id", "tenantId", "groupId", "name", "description", "prefix", "hash", "ipAllowlist",
      "expiresAt", "lastUsedAt", "status", "revokedAt", "createdById", "createdAt", "updatedAt"
    ) VALUES (
      @id, @tenantId, @groupId, @name, @description, @prefix, @hash, '',
      @expiresAt, @lastUsedAt, @status, @revokedAt, @createdById, @createdAt, @updatedAt
    )`);
  const t = now.getTime();
  const rows = [];
  for (let i = 0; i < count; i++) {
    const createdAt = t - Math.floor(random() * 730 * DAY) - MINUTE;
    const revoked = random() < 0.15;
    const e = random();
    const expiresAt =
      e < 0.3
        ? null
        : e < 0.4
          ? t - Math.floor(random() * 365 * DAY) - MINUTE
          : e < 0.5
            ? t + HOUR + Math.floor(random() * (6 * DAY))
            : t + 8 * DAY + Math.floor(random() * 365 * DAY);
    const lastUsedAt = random() < 0.2 ? null : createdAt + Math.floor(random() * (t - createdAt));
    const row = {
      name: `${pick(SYSTEMS)} ${pick(ROLES)} ${String(i + 1).padStart(5, "0")}`,
      createdAt,
      expiresAt,
      lastUsedAt,
      revoked,
      ...(first[i] ?? {}),
    };
    rows.push({
      id: cuidLike(),
      tenantId,
      groupId: groups[i % groups.length].id,
      name: row.name,
      description: i % 3 === 0 ? `Bench key ${i + 1}` : null,
      prefix: "kw_" + base62(8),
      hash: randomBytes(32).toString("hex"),
      expiresAt: row.expiresAt === null ? null : prismaDate(new Date(row.expiresAt)),
      lastUsedAt: row.lastUsedAt === null ? null : prismaDate(new Date(row.lastUsedAt)),
      status: row.revoked ? "revoked" : "active",
      revokedAt: row.revoked ? prismaDate(new Date(Math.max(row.createdAt, t - 30 * DAY))) : null,
      createdById: ownerId,
      createdAt: prismaDate(new Date(row.createdAt)),
      updatedAt: prismaDate(now),
    });
  }
  db.transaction((all) => {
    for (const r of all) insert.run(r);
  })(rows);
  const total = db.prepare(`SELECT count(*) AS n FROM "ApiKey" WHERE tenantId = ?`).get(tenantId).n;
  db.close();
  return { tenantId, total };
}

export { DAY, HOUR, MINUTE };

/** One key whose secret the benchmark knows: `hash` is HMAC-SHA-256 of the secret (hashApiKey). */
export function insertKnownKey(dbFile, slug, groupName, { name, prefix, hash, now = new Date() }) {
  const { tenantId, groups, ownerId } = tenantIds(dbFile, slug);
  const group = groups.find((g) => g.name === groupName);
  if (!group) throw new Error(`no key group "${groupName}" in ${slug}`);
  const db = new Database(dbFile);
  try {
    const id = cuidLike();
    db.prepare(`INSERT INTO "ApiKey" (
        "id", "tenantId", "groupId", "name", "description", "prefix", "hash", "ipAllowlist",
        "status", "createdById", "createdAt", "updatedAt"
      ) VALUES (?, ?, ?, ?, 'bench/verify.mjs', ?, ?, '', 'active', ?, ?, ?)`).run(
      id,
      tenantId,
      group.id,
      name,
      prefix,
      hash,
      ownerId,
      prismaDate(now),
      prismaDate(now),
    );
    return { id, tenantId, groupId: group.id };
  } finally {
    db.close();
  }
}
