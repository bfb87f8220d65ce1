// Bulk key rows for the benchmarks, written in one transaction: with better-sqlite3 into a SQLite
// file, or with `pg` into a PostgreSQL database.
//
// Every function takes either a SQLite file path (the original signature; the result is then
// returned synchronously, as before) or a database target from bench/lib/common.mjs
// ({ provider: "sqlite" | "postgresql", url, file }). For a PostgreSQL target the result is a
// Promise; `await` works for both.
//
// Dates are stored exactly as Prisma stores them, because the list's filters compare them:
// - SQLite (TEXT): '2026-11-23T18:14:40.303+00:00' (Prisma's SQLite adapter format);
// - PostgreSQL (TIMESTAMP(3), without time zone): the UTC wall-clock time, as @prisma/adapter-pg
//   writes it ('2026-11-23 18:14:40.303'), never the machine's local time.
import { randomBytes, randomInt } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Prisma's storage format for DateTime on SQLite. */
export function prismaDate(date) {
  return date.toISOString().replace("Z", "+00:00");
}

/** Prisma's storage format for DateTime on PostgreSQL (TIMESTAMP(3) holding UTC). */
export function pgDate(date) {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

export function base62(length) {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
  return out;
}

/** cuid-like: 'c' + 24 lowercase base36 characters. */
export function cuidLike() {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  let out = "c";
  for (let i = 0; i < 24; i++) out += alphabet[randomInt(36)];
  return out;
}

/** Deterministic PRNG (mulberry32) so that both databases get the same mix (of key states, of audit events). */
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

const SYSTEMS = ["Billing", "Inventory", "CRM", "Warehouse", "Payroll", "Analytics", "Search", "Support", "Ledger", "Shipping"];
const ROLES = ["Sync", "Exporter", "Importer", "Webhook Relay", "Scheduler", "Bridge", "Worker", "Dashboard"];

// ---------------------------------------------------------------------------------------------
// Targets

/** "sqlite" or "postgresql" for a file path (old callers) or a target object. */
export function providerOf(target) {
  if (typeof target === "string") return /^postgres(ql)?:\/\//i.test(target) ? "postgresql" : "sqlite";
  return target.provider ?? (/^postgres(ql)?:\/\//i.test(target.url ?? "") ? "postgresql" : "sqlite");
}

/** The SQLite file of a file path, a `file:` URL or a SQLite target. */
function sqliteFile(target) {
  if (typeof target === "string") return target.startsWith("file:") ? target.slice("file:".length) : target;
  return target.file ?? target.url.slice("file:".length);
}

function pgUrl(target) {
  return typeof target === "string" ? target : target.url;
}

/** Runs fn(client) on a fresh pg connection to the target's database, then closes it. */
export async function withPg(target, fn) {
  const client = new pg.Client({ connectionString: pgUrl(target) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Tenant ids

function tenantIdsSqlite(dbFile, slug) {
  const db = new Database(dbFile, { readonly: true });
  try {
    const tenant = db.prepare(`SELECT id FROM "Tenant" WHERE slug = ?`).get(slug);
    if (!tenant) throw new Error(`no tenant "${slug}" in ${dbFile}`);
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

async function tenantIdsPg(client, slug) {
  const tenant = (await client.query(`SELECT "id" FROM "Tenant" WHERE "slug" = $1`, [slug])).rows[0];
  if (!tenant) throw new Error(`no tenant "${slug}" in the PostgreSQL database`);
  // ORDER BY with COLLATE "C": the same order as SQLite's BINARY collation, so that groups[i]
  // is the same group on both databases.
  const groups = (
    await client.query(
      `SELECT "id", "name" FROM "AuthorizationGroup" WHERE "tenantId" = $1 AND "type" = 'tenant_api_key' ORDER BY "name" COLLATE "C"`,
      [tenant.id],
    )
  ).rows;
  const owner = (
    await client.query(
      `SELECT u."id" FROM "User" u JOIN "Membership" m ON m."userId" = u."id" WHERE m."tenantId" = $1 AND m."role" = 'owner' LIMIT 1`,
      [tenant.id],
    )
  ).rows[0];
  return { tenantId: tenant.id, groups, ownerId: owner?.id ?? null };
}

/** The tenant's ids needed for new rows. Synchronous for a SQLite file; a Promise for PostgreSQL. */
export function tenantIds(target, slug) {
  if (providerOf(target) === "postgresql") return withPg(target, (client) => tenantIdsPg(client, slug));
  return tenantIdsSqlite(sqliteFile(target), slug);
}

/** How many keys the tenant has (all statuses). Synchronous for SQLite; a Promise for PostgreSQL. */
export function countTenantKeys(target, slug) {
  if (providerOf(target) === "postgresql") {
    return withPg(target, async (client) => {
      const { tenantId } = await tenantIdsPg(client, slug);
      return Number((await client.query(`SELECT count(*) AS n FROM "ApiKey" WHERE "tenantId" = $1`, [tenantId])).rows[0].n);
    });
  }
  const file = sqliteFile(target);
  const { tenantId } = tenantIdsSqlite(file, slug);
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) AS n FROM "ApiKey" WHERE tenantId = ?`).get(tenantId).n;
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Bulk keys

/** The rows, with dates as epoch milliseconds (or null): the same for both providers. */
function keyRows({ tenantId, groups, ownerId }, count, { seed, now, first }) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
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
      expiresAt: row.expiresAt,
      lastUsedAt: row.lastUsedAt,
      status: row.revoked ? "revoked" : "active",
      revokedAt: row.revoked ? Math.max(row.createdAt, t - 30 * DAY) : null,
      createdById: ownerId,
      createdAt: row.createdAt,
      updatedAt: t,
    });
  }
  return rows;
}

const DATE_FIELDS = ["expiresAt", "lastUsedAt", "revokedAt", "createdAt", "updatedAt"];
function withDates(row, format) {
  const out = { ...row };
  for (const field of DATE_FIELDS) out[field] = row[field] === null ? null : format(new Date(row[field]));
  return out;
}

function insertKeysSqlite(dbFile, slug, count, { seed, now, first }) {
  const ids = tenantIdsSqlite(dbFile, slug);
  const rows = keyRows(ids, count, { seed, now, first }).map((r) => withDates(r, prismaDate));
  const db = new Database(dbFile);
  try {
    const insert = db.prepare(`INSERT INTO "ApiKey" (
        "id", "tenantId", "groupId", "name", "description", "prefix", "hash", "ipAllowlist",
        "expiresAt", "lastUsedAt", "status", "revokedAt", "createdById", "createdAt", "updatedAt"
      ) VALUES (
        @id, @tenantId, @groupId, @name, @description, @prefix, @hash, '',
        @expiresAt, @lastUsedAt, @status, @revokedAt, @createdById, @createdAt, @updatedAt
      )`);
    db.transaction((all) => {
      for (const r of all) insert.run(r);
    })(rows);
    const total = db.prepare(`SELECT count(*) AS n FROM "ApiKey" WHERE tenantId = ?`).get(ids.tenantId).n;
    return { tenantId: ids.tenantId, total };
  } finally {
    db.close();
  }
}

const PG_COLUMNS = [
  ["id", "text"],
  ["tenantId", "text"],
  ["groupId", "text"],
  ["name", "text"],
  ["description", "text"],
  ["prefix", "text"],
  ["hash", "text"],
  ["expiresAt", "timestamp(3)"],
  ["lastUsedAt", "timestamp(3)"],
  ["status", "text"],
  ["revokedAt", "timestamp(3)"],
  ["createdById", "text"],
  ["createdAt", "timestamp(3)"],
  ["updatedAt", "timestamp(3)"],
];

/**
 * PostgreSQL: one transaction, INSERT ... SELECT FROM unnest() of one array per column in
 * batches of 5,000 rows; then VACUUM (ANALYZE) "ApiKey" unless `vacuum: false`, so that the
 * planner has statistics and index-only scans can use the visibility map at once, instead of
 * whenever autovacuum gets to it (possibly in the middle of a measurement).
 */
async function insertKeysPg(target, slug, count, { seed, now, first, vacuum = true }) {
  return withPg(target, async (client) => {
    const ids = await tenantIdsPg(client, slug);
    const rows = keyRows(ids, count, { seed, now, first }).map((r) => withDates(r, pgDate));
    const columns = PG_COLUMNS.map(([name]) => `"${name}"`).join(", ");
    const unnest = PG_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ");
    const sql = `INSERT INTO "ApiKey" (${columns}, "ipAllowlist") SELECT *, '' FROM unnest(${unnest})`;
    await client.query("BEGIN");
    try {
      for (let start = 0; start < rows.length; start += 5000) {
        const batch = rows.slice(start, start + 5000);
        await client.query(
          sql,
          PG_COLUMNS.map(([name]) => batch.map((r) => r[name])),
        );
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
    if (vacuum) await client.query(`VACUUM (ANALYZE) "ApiKey"`);
    const total = Number((await client.query(`SELECT count(*) AS n FROM "ApiKey" WHERE "tenantId" = $1`, [ids.tenantId])).rows[0].n);
    return { tenantId: ids.tenantId, total };
  });
}

/**
 * Adds `count` keys to the tenant: about 1/8 named "... Sync ...", 15% revoked, expiry mixed
 * (30% never, 10% expired, 10% expiring within 7 days, 50% later), 20% never used.
 * `first` overrides the first rows (to make sure a small database has a row for every filter).
 * The same seed gives the same mix on SQLite and PostgreSQL (ids, prefixes and hashes differ).
 * Returns { tenantId, total } (total: the tenant's keys afterwards); a Promise for PostgreSQL.
 */
export function insertKeys(target, slug, count, { seed = 42, now = new Date(), first = [], vacuum = true } = {}) {
  if (providerOf(target) === "postgresql") return insertKeysPg(target, slug, count, { seed, now, first, vacuum });
  return insertKeysSqlite(sqliteFile(target), slug, count, { seed, now, first });
}

export { DAY, HOUR, MINUTE };

// ---------------------------------------------------------------------------------------------
// The known key

function knownKeyGroup(ids, slug, groupName) {
  const group = ids.groups.find((g) => g.name === groupName);
  if (!group) throw new Error(`no key group "${groupName}" in ${slug}`);
  return group;
}

/**
 * One key whose secret the benchmark knows: `hash` is HMAC-SHA-256 of the secret (hashApiKey).
 * Returns { id, tenantId, groupId }; a Promise for PostgreSQL.
 */
export function insertKnownKey(target, slug, groupName, { name, prefix, hash, now = new Date() }) {
  const id = cuidLike();
  if (providerOf(target) === "postgresql") {
    return withPg(target, async (client) => {
      const ids = await tenantIdsPg(client, slug);
      const group = knownKeyGroup(ids, slug, groupName);
      await client.query(
        `INSERT INTO "ApiKey" (
          "id", "tenantId", "groupId", "name", "description", "prefix", "hash", "ipAllowlist",
          "status", "createdById", "createdAt", "updatedAt"
        ) VALUES ($1, $2, $3, $4, 'bench/verify.mjs', $5, $6, '', 'active', $7, $8::timestamp(3), $8::timestamp(3))`,
        [id, ids.tenantId, group.id, name, prefix, hash, ids.ownerId, pgDate(now)],
      );
      return { id, tenantId: ids.tenantId, groupId: group.id };
    });
  }
  const dbFile = sqliteFile(target);
  const ids = tenantIdsSqlite(dbFile, slug);
  const group = knownKeyGroup(ids, slug, groupName);
  const db = new Database(dbFile);
  try {
    db.prepare(`INSERT INTO "ApiKey" (
        "id", "tenantId", "groupId", "name", "description", "prefix", "hash", "ipAllowlist",
        "status", "createdById", "createdAt", "updatedAt"
      ) VALUES (?, ?, ?, ?, 'bench/verify.mjs', ?, ?, '', 'active', ?, ?, ?)`).run(
      id,
      ids.tenantId,
      group.id,
      name,
      prefix,
      hash,
      ids.ownerId,
      prismaDate(now),
      prismaDate(now),
    );
    return { id, tenantId: ids.tenantId, groupId: group.id };
  } finally {
    db.close();
  }
}
