// A token's recorded state (revoked or not) comes from memory while the caches are trustworthy,
// and a revoke is still refused on the next request: by this instance at once, and after another
// connection's commit (another process) as soon as syncCaches() sees it (SQLite's data_version);
// with the caches untrusted (PostgreSQL without a listening bus) the database answers.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execSql, seededDb, type SeededDb } from "../../tests/db";
import { snapshot } from "../metrics";
import { resetAuthFailures } from "../verify/rate-limit";
import { createKeyLookup, type KeyLookup } from "../verify/lookup";
import { syncCaches } from "../verify/verify";
import { clearKeyCache } from "../api-keys/key-cache";
import { issueUserToken } from "./issue";
import { revokeToken } from "./revocation";
import { clearTokenCache } from "./token-cache";
import { verifyToken } from "./verify-token";

describe("the token cache", () => {
  let t: SeededDb;
  let lookup: KeyLookup;
  const hits = () => snapshot().token_cache_hits_total ?? 0;
  const check = (token: string, cacheUsable: boolean) => {
    resetAuthFailures();
    return verifyToken(t.db, token, { clientIp: "203.0.113.9", cacheUsable });
  };
  const issue = async () => {
    const result = await issueUserToken(
      t.db,
      { tenantId: t.fx.acme.id, user: { id: t.fx.users.admin.id, email: t.fx.users.admin.email }, requestId: "req_cache" },
      { name: "Cached", expiresIn: "1h", groupId: t.fx.groups.acmeFull.id, scopes: ["api_keys:read"] },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.value;
  };
  const actor = () => ({ type: "user" as const, userId: t.fx.users.admin.id, label: t.fx.users.admin.email });

  beforeEach(async () => {
    t = await seededDb("token-cache");
    lookup = createKeyLookup(t.url);
    clearKeyCache();
    clearTokenCache();
  });
  afterEach(async () => {
    await lookup.close();
    await t.close();
  });

  it("serves the second check from memory, and this instance's revoke is refused on the next check", async () => {
    const { token, claims } = await issue();
    expect((await check(token, true)).ok).toBe(true);
    const before = hits();
    expect((await check(token, true)).ok).toBe(true);
    expect(hits()).toBe(before + 1);
    expect((await revokeToken(t.db, { tenantId: t.fx.acme.id, actor: actor(), requestId: "req_r" }, claims.jti)).ok).toBe(true);
    expect(await check(token, true)).toMatchObject({ ok: false, status: 401, reason: "REVOKED" });
  });

  it("another connection's revoke: seen through syncCaches on SQLite; read from the database when the caches are untrusted", async () => {
    const { token, claims } = await issue();
    const usable = () => (t.provider === "sqlite" ? syncCaches({ lookup }) : false);
    expect((await check(token, usable())).ok).toBe(true);
    expect((await check(token, usable())).ok).toBe(true);
    // As another process would: a plain UPDATE on another connection, no Keyward code involved.
    const at = t.provider === "sqlite" ? `'${new Date().toISOString()}'` : "CURRENT_TIMESTAMP";
    await execSql(t, `UPDATE "IssuedToken" SET "revokedAt" = ${at} WHERE "id" = '${claims.jti}'`);
    expect(await check(token, usable())).toMatchObject({ ok: false, status: 401, reason: "REVOKED" });
  });

  it("without syncCaches' word the cache would be stale: it is memory, not a query, that answers a hit", async () => {
    const { token, claims } = await issue();
    expect((await check(token, true)).ok).toBe(true);
    await execSql(t, `UPDATE "IssuedToken" SET "name" = 'changed' WHERE "id" = '${claims.jti}'`);
    const cached = await check(token, true);
    expect(cached.ok && cached.key.name).toBe("Cached");
    const fresh = await check(token, false);
    expect(fresh.ok && fresh.key.name).toBe("changed");
  });
});
