// The key list with signed tokens in it (issue 14, lib/api-keys/list-entries.ts): keys and tokens
// on one page, sorted and counted across both kinds, with the Type filter; the union's key side
// agrees with listApiKeys (listWhere) for every filter; a tenant without tokens takes the keys'
// own query. Token use (last used) is batched and shown, and a token is held to its group's rate
// limits. SQLite and PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "../../tests/db";
import { createApiKey } from "./mutations";
import { disableApiKey } from "./lifecycle";
import { listApiKeys } from "./queries";
import { apiKeyListSchema } from "./schemas";
import { listEntries } from "./list-entries";
import { issueUserToken } from "../tokens/issue";
import { revokeToken } from "../tokens/revocation";
import { verifyToken } from "../tokens/verify-token";
import { createKeyLookup } from "../verify/lookup";
import { flushUsage } from "../verify/usage";
import { resetAuthFailures } from "../verify/rate-limit";
import { resetMemoryLimits } from "../rate-limits/memory-store";

let t: SeededDb;
beforeEach(async () => {
  t = await seededDb("keyward-list-entries");
  await t.db.tenant.update({ where: { id: t.fx.acme.id }, data: { keyLimit: 100 } });
});
afterEach(async () => {
  await t.close();
});

const admin = () => userContext(t.fx.acme.id, t.fx.users.admin);
const params = (raw: Record<string, string> = {}) => apiKeyListSchema.parse(raw);
const list = (raw: Record<string, string> = {}) => listEntries(t.db, t.fx.acme.id, params(raw), new Date(), 90);
async function issue(name: string, expiresIn = "1h") {
  const result = await issueUserToken(
    t.db,
    { tenantId: t.fx.acme.id, user: { id: t.fx.users.admin.id, email: t.fx.users.admin.email }, requestId: "req_list" },
    { name, expiresIn, groupId: t.fx.groups.acmeFull.id, scopes: ["api_keys:read"] },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe("keys and signed tokens in one list", () => {
  it("pages across both kinds in one order, with one total, and filters by type", async () => {
    const keysOnly = await list();
    expect(keysOnly.tokens).toBe(0);
    const keyCount = keysOnly.total;
    const tokens = [await issue("Token Alpha"), await issue("Token Beta", "24h"), await issue("Token Gamma")];

    const all = await list({ sort: "name", order: "asc", pageSize: "100" });
    expect(all.total).toBe(keyCount + 3);
    const names = all.rows.map((r) => r.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const tokenRows = all.rows.filter((r) => r.kind === "token");
    expect(tokenRows.map((r) => r.id).sort()).toEqual(tokens.map((x) => x.claims.jti).sort());
    expect(tokenRows[0]).toMatchObject({ status: "active", group: { name: expect.any(String), scopes: "api_keys:read" }, credits: null });

    // Pages of 10 cover every row exactly once, in the same order as the one big page.
    const paged = [];
    for (let page = 1; page <= Math.ceil(all.total / 10); page++) {
      const one = await list({ sort: "name", order: "asc", pageSize: "10", page: String(page) });
      expect(one.total).toBe(all.total);
      paged.push(...one.rows.map((r) => r.id));
    }
    expect(paged).toEqual(all.rows.map((r) => r.id));

    const onlyTokens = await list({ kind: "token" });
    expect(onlyTokens.total).toBe(3);
    expect(onlyTokens.rows.every((r) => r.kind === "token")).toBe(true);
    const onlyKeys = await list({ kind: "key" });
    expect(onlyKeys.total).toBe(keyCount);

    // Status and search apply to tokens too; a revoked token is listed as revoked.
    const actor = { type: "user" as const, userId: t.fx.users.admin.id, label: t.fx.users.admin.email };
    await revokeToken(t.db, { tenantId: t.fx.acme.id, actor, requestId: "req_r" }, tokens[0].claims.jti);
    const revoked = await list({ status: "revoked", kind: "token" });
    expect(revoked.rows.map((r) => [r.name, r.status])).toEqual([["Token Alpha", "revoked"]]);
    expect((await list({ q: "beta" })).rows.map((r) => r.name)).toEqual(["Token Beta"]);
    expect((await list({ status: "disabled", kind: "token" })).total).toBe(0);
    // Warning flags are about keys: no token is listed under them.
    expect((await list({ flag: "idle" })).rows.every((r) => r.kind === "key")).toBe(true);
  });

  it("the union's keys are listApiKeys's keys for every filter", async () => {
    await issue("Token for the union");
    const erp = await createApiKey(t.db, admin(), { name: "50%_off worker", groupId: t.fx.groups.acmeFull.id, expiresIn: "1h" });
    if (!erp.ok) throw new Error("create failed");
    await disableApiKey(t.db, admin(), erp.value.key.id);
    const cases: Record<string, string>[] = [
      {},
      { status: "active" },
      { status: "disabled" },
      { status: "revoked" },
      { status: "active,revoked" },
      { expiry: "valid" },
      { expiry: "expiring_soon" },
      { expiry: "expired" },
      { expiry: "valid,expired" },
      { q: "50%_" },
      { q: "ERP" },
      { sort: "expires", order: "asc" },
      { sort: "last_used" },
      { sort: "name", order: "desc" },
    ];
    for (const raw of cases) {
      const union = await list({ ...raw, pageSize: "100" });
      const keys = await listApiKeys(t.db, t.fx.acme.id, params({ ...raw, pageSize: "100" }));
      expect(union.rows.filter((r) => r.kind === "key").map((r) => r.id), JSON.stringify(raw)).toEqual(keys.rows.map((r) => r.id));
      expect(union.total - union.tokens, JSON.stringify(raw)).toBe(keys.total);
    }
  });
});

describe("token use and limits", () => {
  it("records a token's last use in the usage batch and shows it in the list", async () => {
    const { token, claims } = await issue("Used token");
    const lookup = createKeyLookup(t.url);
    try {
      resetAuthFailures();
      expect(await verifyToken(t.db, token, { clientIp: "203.0.113.1", usage: lookup.usage })).toMatchObject({ ok: true });
      // Nothing is written per request: the row changes only with the flush.
      expect((await t.db.issuedToken.findUniqueOrThrow({ where: { id: claims.jti } })).lastUsedAt).toBeNull();
      await flushUsage();
      const row = await t.db.issuedToken.findUniqueOrThrow({ where: { id: claims.jti } });
      expect(row.lastUsedAt).toBeInstanceOf(Date);
      const listed = (await list({ kind: "token" })).rows.find((r) => r.id === claims.jti);
      expect(listed?.lastUsedAt).toBe(row.lastUsedAt!.toISOString());
    } finally {
      await lookup.close();
    }
  });

  it("holds a token to its group's rate limit windows (429 with a retry), in a bucket of its own", async () => {
    resetMemoryLimits();
    await t.db.authorizationGroup.update({ where: { id: t.fx.groups.acmeFull.id }, data: { rateLimits: JSON.stringify([{ limit: 2, windowSeconds: 60 }]) } });
    const first = await issue("Limited token");
    const second = await issue("Other limited token");
    const now = new Date();
    const check = (token: string) => {
      resetAuthFailures();
      return verifyToken(t.db, token, { clientIp: "203.0.113.2", now });
    };
    expect(await check(first.token)).toMatchObject({ ok: true });
    expect(await check(first.token)).toMatchObject({ ok: true });
    expect(await check(first.token)).toMatchObject({ ok: false, status: 429, code: "rate_limited", retryAfter: expect.any(Number) });
    expect(await check(second.token)).toMatchObject({ ok: true });
  });
});
