// Bulk audit events for bench/audit.mjs and bench/audit-verify.mjs, appended by the test data
// factory (tests/factory.ts: the app's own writeAuditEvents, keyed hashes and signed checkpoints
// under this run's KEYWARD_HASH_SECRET, so that they pass "Verify chain"), Needs `node --import tsx`.
import { randomBytes } from "node:crypto";
import { displayPrefix, generateApiKeySecret } from "../../lib/api-keys/key-format.ts";
import { appendAuditEvents } from "../../tests/factory.ts";
import { prng, withBenchDb } from "./keys.mjs";

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

const madeUpPrefix = () => displayPrefix(generateApiKeySecret());

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

/** The tenant's rows that events refer to: users, keys and their groups' scopes, chain length. */
async function auditContext(db, slug) {
  const tenant = await db.tenant.findUnique({ where: { slug }, select: { id: true, keyLimit: true } });
  if (!tenant) throw new Error(`no tenant "${slug}"`);
  const members = await db.membership.findMany({ where: { tenantId: tenant.id }, select: { role: true, user: { select: { id: true, email: true } } } });
  const users = members.map((m) => ({ ...m.user, role: m.role })).sort((x, y) => x.email.localeCompare(y.email));
  const superUser = await db.user.findFirst({ where: { isSuperUser: true }, orderBy: { email: "asc" }, select: { id: true, email: true } });
  const groups = await db.authorizationGroup.findMany({ where: { tenantId: tenant.id, type: "tenant_api_key" }, orderBy: { name: "asc" } });
  const keys = (
    await db.apiKey.findMany({ where: { tenantId: tenant.id }, orderBy: { createdAt: "asc" }, select: { id: true, prefix: true, name: true, group: { select: { scopes: true } } } })
  ).map((k) => ({ id: k.id, prefix: k.prefix, name: k.name, scopes: k.group.scopes }));
  const count = await db.auditEvent.count({ where: { tenantId: tenant.id } });
  return { tenantId: tenant.id, keyLimit: tenant.keyLimit, users, superUser, groups, keys, count };
}

/**
 * Appends `count` events to the tenant's chain. Times are spread evenly (with jitter) over the
 * `days` before `now` and rise with seq, as they do when the app writes them.
 * Mix: ACTION_MIX; actors 45% owner, 35% admin, 20% an API key ("Full access"), limit changes
 * by the super user; targets from a pool of about count/50 keys (the seeded keys first), and
 * every 100th event targets BENCH_KEY.
 */
export function insertAuditEvents(dbFile, slug, count, { seed = 7, now = new Date(), days = 90 } = {}) {
  return withBenchDb(dbFile, async (db) => {
    const ctx = await auditContext(db, slug);
    const random = prng(seed);
    const pick = (list) => list[Math.floor(random() * list.length)];
    const owner = ctx.users.find((u) => u.role === "owner");
    const admin = ctx.users.find((u) => u.role === "admin") ?? owner;
    const full = ctx.groups.find((g) => /write/.test(g.scopes)) ?? ctx.groups[0];
    const scopesOf = () => pick(ctx.groups).scopes;

    // The keys events are about: the seeded ones, then made-up ones (targetKeyId has no foreign key).
    const poolSize = Math.max(ctx.keys.length, Math.round(count / 50));
    const pool = [...ctx.keys];
    while (pool.length < poolSize) {
      pool.push({ id: `cbench${randomBytes(10).toString("hex")}`, prefix: madeUpPrefix(), name: `Bench key ${pool.length + 1}`, scopes: scopesOf() });
    }
    const benchKey = { ...BENCH_KEY, scopes: full.scopes };
    const actorKeys = pool.slice(0, Math.max(3, Math.ceil(pool.length / 20)));
    const userActor = (user) => ({ type: "user", userId: user.id, label: user.email });

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
      if (r < 0.45) return userActor(owner);
      if (r < 0.8) return userActor(admin);
      const key = pick(actorKeys);
      return { type: "api_key", keyId: key.id, label: key.prefix };
    };

    const end = now.getTime() - MINUTE;
    const span = days * DAY;
    const step = span / Math.max(1, count);
    let limit = ctx.keyLimit ?? 100;
    const inputs = [];
    for (let i = 0; i < count; i++) {
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
          details = { previousPrefix: madeUpPrefix(), previousValidUntil: random() < 0.5 ? null : new Date(createdAt.getTime() + DAY).toISOString() };
          break;
        case "api_key.revoked":
          details = { name: target.name };
          break;
        case "api_key.revoked_all": {
          actor = userActor(owner);
          const revoked = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(pool));
          details = { count: revoked.length, keyIds: revoked.map((k) => k.id), prefixes: revoked.map((k) => k.prefix) };
          break;
        }
        case "tenant.limit_changed": {
          actor = userActor(ctx.superUser ?? owner);
          const to = Math.max(10, limit + (random() < 0.5 ? -10 : 10));
          details = { from: limit, to, keysInUse: Math.floor(random() * to) };
          limit = to;
          break;
        }
      }
      inputs.push({
        tenantId: ctx.tenantId,
        actor,
        action,
        targetKeyId: target?.id ?? null,
        keyPrefix: target?.prefix ?? null,
        scopes: target?.scopes ?? null,
        details,
        requestId: `req_${randomBytes(16).toString("hex")}`,
        createdAt,
      });
    }
    // The app logs every checkpoint it writes (a line per 100 events) to stdout, where the
    // benchmark prints its table: those lines are left out while the events are appended.
    const log = console.log;
    console.log = () => {};
    const started = performance.now();
    const written = await appendAuditEvents(db, inputs).finally(() => (console.log = log));
    const ms = performance.now() - started;
    const total = await db.auditEvent.count({ where: { tenantId: ctx.tenantId } });
    return { tenantId: ctx.tenantId, total, lastSeq: written.at(-1)?.seq ?? ctx.count, previous: ctx.count, ms, poolSize: pool.length };
  });
}
