// Bulk audit events for bench/audit.mjs and bench/audit-verify.mjs, written with better-sqlite3 in one transaction, and
// the /proc helpers the export measurement needs (RSS, peak RSS, child processes).
//
// Needs `node --import tsx`: the chain hash is the app's own keyed hash (lib/audit/chain.ts) under
// this run's KEYWARD_HASH_SECRET, so that the inserted events pass the app's "Verify chain"
// (lib/audit/verify-chain.ts), checkpoints included.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { auditKeys, CHAIN_KEYED, keyedAuditHash } from "../../lib/audit/chain.ts";
import { CHECKPOINT_EVERY, signCheckpoint } from "../../lib/audit/checkpoints.ts";
import { SECRETS } from "./common.mjs";
import { base62, cuidLike, prismaDate, prng } from "./keys.mjs";

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export { prismaDate };

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..");

/** A key that 1 event in 100 targets in every database, so the key filter has rows in both. */
export const BENCH_KEY = { id: "cbenchaudit0000000000key01", prefix: "kw_AUDITB01", name: "Audit Bench Key" };

/** Action mix (weights add up to 1). */
export const ACTION_MIX = [
  ["api_key.created", 0.22],
  ["api_key.updated", 0.35],
  ["api_key.rotated", 0.2],
  ["api_key.revoked", 0.2],
  ["api_key.revoked_all", 0.01],
  ["tenant.limit_changed", 0.02],
];

const KEY_ACTIONS = ["api_key.created", "api_key.updated", "api_key.rotated", "api_key.revoked"];
const EDIT_FIELDS = ["name", "description", "groupId", "ipAllowlist"];

/** The tenant's rows that events refer to: users, keys and their groups' scopes, chain head. */
export function auditContext(dbFile, slug) {
  const db = new Database(dbFile, { readonly: true });
  try {
    const tenant = db.prepare(`SELECT id, keyLimit FROM "Tenant" WHERE slug = ?`).get(slug);
    if (!tenant) throw new Error(`no tenant "${slug}" in ${dbFile}`);
    const users = db
      .prepare(`SELECT u.id, u.email, m.role FROM "User" u JOIN "Membership" m ON m.userId = u.id WHERE m.tenantId = ? ORDER BY u.email`)
      .all(tenant.id);
    const superUser = db.prepare(`SELECT id, email FROM "User" WHERE isSuperUser = 1 ORDER BY email LIMIT 1`).get() ?? null;
    const groups = db
      .prepare(`SELECT id, name, scopes FROM "AuthorizationGroup" WHERE tenantId = ? AND type = 'tenant_api_key' ORDER BY name`)
      .all(tenant.id);
    const keys = db
      .prepare(`SELECT k.id, k.prefix, k.name, g.scopes FROM "ApiKey" k JOIN "AuthorizationGroup" g ON g.id = k.groupId WHERE k.tenantId = ? ORDER BY k.createdAt`)
      .all(tenant.id);
    const head = db.prepare(`SELECT seq, hash FROM "AuditEvent" WHERE tenantId = ? ORDER BY seq DESC LIMIT 1`).get(tenant.id) ?? null;
    const count = db.prepare(`SELECT count(*) AS n FROM "AuditEvent" WHERE tenantId = ?`).get(tenant.id).n;
    return { tenantId: tenant.id, keyLimit: tenant.keyLimit, users, superUser, groups, keys, head, count };
  } finally {
    db.close();
  }
}

/**
 * Appends `count` events to the tenant's chain, continuing after its last event (seq, prevHash),
 * in one transaction with one prepared statement. Times are spread evenly (with jitter) over
 * the `days` before `now` and rise with seq, as they do when the app writes them.
 * Mix: ACTION_MIX; actors 45% owner, 35% admin, 20% an API key ("Full access"), limit changes
 * by the super user; targets from a pool of about count/50 keys (the seeded keys first), and
 * every 100th event targets BENCH_KEY.
 */
export function insertAuditEvents(dbFile, slug, count, { seed = 7, now = new Date(), days = 90 } = {}) {
  const ctx = auditContext(dbFile, slug);
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const owner = ctx.users.find((u) => u.role === "owner");
  const admin = ctx.users.find((u) => u.role === "admin") ?? owner;
  const full = ctx.groups.find((g) => /write/.test(g.scopes)) ?? ctx.groups[0];
  const scopesOf = () => pick(ctx.groups).scopes;

  // The keys events are about: the seeded ones, then made-up ones (targetKeyId has no foreign key).
  const poolSize = Math.max(ctx.keys.length, Math.round(count / 50));
  const pool = ctx.keys.map((k) => ({ id: k.id, prefix: k.prefix, name: k.name, scopes: k.scopes }));
  while (pool.length < poolSize) {
    pool.push({ id: cuidLike(), prefix: "kw_" + base62(8), name: `Bench key ${pool.length + 1}`, scopes: scopesOf() });
  }
  const benchKey = { ...BENCH_KEY, scopes: full.scopes };
  const actorKeys = pool.slice(0, Math.max(3, Math.ceil(pool.length / 20)));

  const pickAction = () => {
    const r = random();
    let sum = 0;
    for (const [action, weight] of ACTION_MIX) {
      sum += weight;
      if (r < sum) return action;
    }
    return ACTION_MIX[0][0];
  };
  const pickActor = () => {
    const r = random();
    if (r < 0.45) return { actorType: "user", actorUserId: owner.id, actorKeyId: null, actorLabel: owner.email };
    if (r < 0.8) return { actorType: "user", actorUserId: admin.id, actorKeyId: null, actorLabel: admin.email };
    const key = pick(actorKeys);
    return { actorType: "api_key", actorUserId: null, actorKeyId: key.id, actorLabel: key.prefix };
  };

  const db = new Database(dbFile);
  const insert = db.prepare(`INSERT INTO "AuditEvent" (
      "id", "tenantId", "seq", "actorType", "actorUserId", "actorKeyId", "actorLabel", "action",
      "targetKeyId", "keyPrefix", "scopes", "details", "requestId", "createdAt", "prevHash", "hash", "chainVersion"
    ) VALUES (
      @id, @tenantId, @seq, @actorType, @actorUserId, @actorKeyId, @actorLabel, @action,
      @targetKeyId, @keyPrefix, @scopes, @details, @requestId, @createdAt, @prevHash, @hash, ${CHAIN_KEYED}
    )`);
  // The checkpoints the app writes with every CHECKPOINT_EVERY-th event.
  const insertCheckpoint = db.prepare(`INSERT INTO "AuditCheckpoint" ("id", "tenantId", "seq", "hash", "createdAt", "reason", "signature", "keyId")
    VALUES (@id, @tenantId, @seq, @hash, @createdAt, 'every_100', @signature, @keyId)`);
  // The run's secret, as the servers and prepare-db get it (bench/lib/common.mjs).
  process.env.KEYWARD_HASH_SECRET = SECRETS.KEYWARD_HASH_SECRET;
  const { chainKey } = auditKeys();

  const end = now.getTime() - MINUTE;
  const span = days * DAY;
  const step = span / Math.max(1, count);
  let seq = ctx.head?.seq ?? 0;
  let prevHash = ctx.head?.hash ?? null;
  let limit = ctx.keyLimit ?? 100;
  const started = performance.now();
  const write = db.transaction(() => {
    for (let i = 0; i < count; i++) {
      seq++;
      const createdAt = new Date(Math.floor(end - span + (i + random() * 0.9) * step));
      let action = pickAction();
      let actor = pickActor();
      let target = null;
      let details;
      if (i % 100 === 50) {
        action = KEY_ACTIONS[Math.floor(random() * KEY_ACTIONS.length)];
        target = benchKey;
      } else if (KEY_ACTIONS.includes(action)) {
        target = pick(pool);
      }
      switch (action) {
        case "api_key.created":
          details = { name: target.name, expiresAt: random() < 0.3 ? null : new Date(createdAt.getTime() + 90 * DAY).toISOString() };
          break;
        case "api_key.updated": {
          const field = pick(EDIT_FIELDS);
          details = { changes: { [field]: field === "ipAllowlist" ? { from: [], to: ["203.0.113.0/24"] } : { from: `old ${field}`, to: `new ${field}` } } };
          break;
        }
        case "api_key.rotated":
          details = { previousPrefix: "kw_" + base62(8), previousValidUntil: random() < 0.5 ? null : new Date(createdAt.getTime() + DAY).toISOString() };
          break;
        case "api_key.revoked":
          details = { name: target.name };
          break;
        case "api_key.revoked_all": {
          actor = { actorType: "user", actorUserId: owner.id, actorKeyId: null, actorLabel: owner.email };
          const revoked = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(pool));
          details = { count: revoked.length, keyIds: revoked.map((k) => k.id), prefixes: revoked.map((k) => k.prefix) };
          break;
        }
        case "tenant.limit_changed": {
          const by = ctx.superUser ?? owner;
          actor = { actorType: "user", actorUserId: by.id, actorKeyId: null, actorLabel: by.email };
          const to = Math.max(10, limit + (random() < 0.5 ? -10 : 10));
          details = { from: limit, to, keysInUse: Math.floor(random() * to) };
          limit = to;
          break;
        }
      }
      const data = {
        tenantId: ctx.tenantId,
        seq,
        ...actor,
        action,
        targetKeyId: target?.id ?? null,
        keyPrefix: target?.prefix ?? null,
        scopes: target?.scopes ?? null,
        details: JSON.stringify(details),
        requestId: `req_${randomBytes(16).toString("hex")}`,
        createdAt,
        prevHash,
      };
      const hash = keyedAuditHash(data, chainKey);
      insert.run({ ...data, id: cuidLike(), createdAt: prismaDate(createdAt), hash });
      if (seq % CHECKPOINT_EVERY === 0) {
        const checkpoint = { tenantId: ctx.tenantId, seq, hash, createdAt };
        insertCheckpoint.run({ ...checkpoint, id: cuidLike(), createdAt: prismaDate(createdAt), ...signCheckpoint(checkpoint) });
      }
      prevHash = hash;
    }
  });
  write();
  const ms = performance.now() - started;
  const total = db.prepare(`SELECT count(*) AS n FROM "AuditEvent" WHERE tenantId = ?`).get(ctx.tenantId).n;
  db.close();
  return { tenantId: ctx.tenantId, total, lastSeq: seq, previous: ctx.count, ms, poolSize: pool.length };
}

// ---------------------------------------------------------------------------------------------
// Verify chain's own code on a database, in a child process (bench/lib/audit-sql.ts).

export function runAuditHelper(args) {
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(HERE, "audit-sql.ts"), ...args],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, KEYWARD_HASH_SECRET: SECRETS.KEYWARD_HASH_SECRET, NODE_ENV: "production" }, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`bench/lib/audit-sql.ts ${args[0]} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

// ---------------------------------------------------------------------------------------------
// Memory of the server process, from /proc.

/** VmRSS and VmHWM (peak RSS since start) of a process, in KiB. */
export function memoryKiB(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
    return { rss: field("VmRSS"), hwm: field("VmHWM") };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}
