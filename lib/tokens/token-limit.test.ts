// Live signed tokens take places of Tenant.keyLimit, as keys do: issuing either refuses with
// limit_reached when the tenant is full, a revoked or expired token frees its place, and the key
// list's usage counts live tokens. Acme's seed: 4 counting keys. SQLite and PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mutableState, seededDb, userContext, type SeededDb } from "../../tests/db";
import { createApiKey } from "../api-keys/mutations";
import { countActiveKeys, tenantKeyCounts } from "../api-keys/queries";
import { exchangeKeyForToken, issueUserToken } from "./issue";
import { revokeToken } from "./revocation";

describe("signed tokens and the tenant's key limit", () => {
  let t: SeededDb;
  const tokenInput = (over: Record<string, unknown> = {}) => ({
    name: "CLI smoke test",
    expiresIn: "1h",
    groupId: t.fx.groups.acmeFull.id,
    scopes: ["api_keys:read"],
    ...over,
  });
  const userCtx = (now?: Date) => ({
    tenantId: t.fx.acme.id,
    user: { id: t.fx.users.admin.id, email: t.fx.users.admin.email },
    requestId: "req_limit",
    now,
  });
  const issue = (now?: Date) => issueUserToken(t.db, userCtx(now), tokenInput());
  const createKey = (name: string) => createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name, groupId: t.fx.groups.acmeFull.id });
  const erp = () => {
    const key = t.fx.keys["ERP Integration"];
    return { id: key.id, tenantId: t.fx.acme.id, name: key.name, secretPrefix: "kw_erp", scopes: ["api_keys:read"], expiresAt: null, groupId: t.fx.groups.acmeFull.id };
  };

  beforeEach(async () => {
    t = await seededDb("token-limit");
    // Acme has 4 counting keys: one place left.
    await t.db.tenant.update({ where: { id: t.fx.acme.id }, data: { keyLimit: 5 } });
  });
  afterEach(async () => {
    await t.close();
  });

  it("a token fills the last place: a new key is refused, and the list's usage counts the token", async () => {
    const token = await issue();
    expect(token.ok).toBe(true);
    const before = await mutableState(t);
    expect(await createKey("One too many")).toEqual({
      ok: false,
      error: {
        code: "limit_reached",
        message: "Key limit reached: 5/5 (4 keys, 1 signed token). Revoke a key or token, or ask support to raise the limit.",
      },
    });
    expect(await mutableState(t)).toBe(before);
    const counts = await tenantKeyCounts(t.db, t.fx.acme.id, new Date(), 90);
    expect(counts).toMatchObject({ used: 5, tokens: 1 });
    expect(await countActiveKeys(t.db, t.fx.acme.id)).toBe(5);

    // Revoking the token frees its place.
    if (!token.ok) throw new Error("unreachable");
    const actor = { type: "user" as const, userId: t.fx.users.admin.id, label: t.fx.users.admin.email };
    expect((await revokeToken(t.db, { tenantId: t.fx.acme.id, actor, requestId: "req_r" }, token.value.claims.jti)).ok).toBe(true);
    expect((await tenantKeyCounts(t.db, t.fx.acme.id, new Date(), 90)).used).toBe(4);
    expect((await createKey("Fits again")).ok).toBe(true);
  });

  it("a key fills the last place: a token is refused, from the dashboard and by exchange, and nothing is written", async () => {
    expect((await createKey("Last place")).ok).toBe(true);
    const before = await mutableState(t);
    const keysOnly = "Key limit reached: 5/5 keys. Revoke a key or ask support to raise the limit.";
    expect(await issue()).toEqual({ ok: false, error: { code: "limit_reached", message: keysOnly } });
    expect(await exchangeKeyForToken(t.db, { key: erp(), requestId: "req_x" }, { expiresIn: "1h" })).toEqual({
      ok: false,
      error: { code: "limit_reached", message: keysOnly },
    });
    expect(await mutableState(t)).toBe(before);
    expect(await t.db.issuedToken.count()).toBe(0);
  });

  it("an expired token no longer takes a place", async () => {
    const hourAgo = new Date(Date.now() - 2 * 60 * 60_000);
    expect((await issue(hourAgo)).ok).toBe(true); // a 1h token issued two hours ago
    expect((await tenantKeyCounts(t.db, t.fx.acme.id, new Date(), 90)).tokens).toBe(0);
    expect((await issue()).ok).toBe(true);
    expect((await issue()).ok).toBe(false);
  });

  it("tokens racing for the last place: exactly one is issued", async () => {
    const results = await Promise.all([1, 2, 3].map(() => issue()));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === "limit_reached")).toHaveLength(2);
    expect(await t.db.issuedToken.count({ where: { tenantId: t.fx.acme.id } })).toBe(1);
  });
});
