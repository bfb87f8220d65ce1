// Signed tokens: issued with the claims and presets of seed 004, verified by jose against the
// published JWKS and by Keyward's own verification; tampered, expired, wrong-audience, alg:none
// and oversized tokens refused; revocation honoured on the next verification and listed;
// rotation keeps old tokens valid until they expire. SQLite and, in the PostgreSQL phase, PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, UnsecuredJWT } from "jose";
import { seededDb, type SeededDb } from "../../tests/db";
import { resetAuthFailures } from "../verify/rate-limit";
import { activeSigningKey, decryptPrivateKey, publishedKeys, rotateSigningKey } from "./signing-keys";
import { exchangeKeyForToken, issueUserToken } from "./issue";
import { revocationList, revokeToken } from "./revocation";
import { MAX_TOKEN_BYTES, verifyToken } from "./verify-token";

describe("signed tokens", () => {
  let t: SeededDb;
  const ctx = () => ({ tenantId: t.fx.acme.id, user: { id: t.fx.users.admin.id, email: t.fx.users.admin.email }, requestId: "req_tokens_1" });
  const input = (over: Record<string, unknown> = {}) => ({
    name: "CLI smoke test",
    expiresIn: "1h",
    groupId: t.fx.groups.acmeFull.id,
    scopes: ["api_keys:read"],
    ...over,
  });
  const issue = async (over: Record<string, unknown> = {}) => {
    const result = await issueUserToken(t.db, ctx(), input(over));
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.value;
  };
  const check = (token: string, options: { scope?: string; now?: Date } = {}) => {
    resetAuthFailures();
    return verifyToken(t.db, token, { clientIp: "203.0.113.9", ...options });
  };

  beforeEach(async () => {
    t = await seededDb("tokens");
    resetAuthFailures();
  });
  afterEach(async () => {
    await t.close();
  });

  it("issues a token with the seed's claims that jose verifies against the JWKS, recorded and audited in one go", async () => {
    const { token, claims, kid } = await issue();
    const jwks = createLocalJWKSet({ keys: await publishedKeys(t.db) });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: "keyward", audience: "keyward", algorithms: ["ES256"] });
    expect(protectedHeader).toMatchObject({ alg: "ES256", kid });
    expect(payload).toMatchObject({ sub: "admin@acme.test", workspace: t.fx.acme.id, scopes: ["api_keys:read"], jti: claims.jti, iss: "keyward", aud: "keyward" });
    expect(payload.exp! - payload.iat!).toBe(3600);
    const row = await t.db.issuedToken.findUniqueOrThrow({ where: { id: claims.jti } });
    expect(row).toMatchObject({ tenantId: t.fx.acme.id, kid, scopes: "api_keys:read", subjectType: "user", revokedAt: null });
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { tenantId: t.fx.acme.id, action: "token.issued" } });
    expect(event.details).toContain(claims.jti);
    expect(event.details).not.toContain(token);
  });

  it("keeps the private key encrypted at rest (AES-256-GCM bound to its kid)", async () => {
    const { kid } = await activeSigningKey(t.db);
    const row = await t.db.signingKey.findUniqueOrThrow({ where: { id: kid } });
    expect(row.privateKeyEnc).not.toContain('"d"');
    const plain = JSON.parse(decryptPrivateKey(row.privateKeyEnc, kid)) as { d?: string };
    expect(plain.d).toBeTruthy();
    expect(row.privateKeyEnc).not.toContain(plain.d!);
    expect(row.publicJwk).not.toContain('"d"');
    expect(() => decryptPrivateKey(row.privateKeyEnc, "another-kid")).toThrow();
  });

  it("verifies in Keyward with the token's scopes; a missing scope is 403", async () => {
    const { token, claims } = await issue();
    const ok = await check(token, { scope: "api_keys:read" });
    expect(ok).toMatchObject({ ok: true, key: { id: claims.jti, tenantId: t.fx.acme.id, tenantName: "Acme", scopes: ["api_keys:read"] } });
    expect(await check(token, { scope: "api_keys:write" })).toMatchObject({ ok: false, status: 403, code: "insufficient_scope" });
  });

  it("refuses tampered, expired, wrong-audience, alg:none, HS256 and unknown-kid tokens, there and in jose", async () => {
    const { token, claims } = await issue();
    const jwks = createLocalJWKSet({ keys: await publishedKeys(t.db) });
    const joseRefuses = async (bad: string) =>
      expect(jwtVerify(bad, jwks, { issuer: "keyward", audience: "keyward", algorithms: ["ES256"] })).rejects.toThrow();

    const [h, p, s] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, "base64url").toString()), scopes: ["api_keys:write"] })).toString("base64url");
    const tampered = `${h}.${forged}.${s}`;
    expect(await check(tampered)).toMatchObject({ ok: false, status: 401 });
    await joseRefuses(tampered);

    const later = new Date((claims.exp + 1) * 1000);
    expect(await check(token, { now: later })).toMatchObject({ ok: false, status: 401, reason: "EXPIRED" });
    await expect(jwtVerify(token, jwks, { currentDate: later })).rejects.toThrow(/exp/);

    const { kid, privateKey } = await activeSigningKey(t.db);
    const sign = (aud: string) =>
      new SignJWT({ workspace: t.fx.acme.id, scopes: ["api_keys:read"] })
        .setProtectedHeader({ alg: "ES256", kid })
        .setSubject("x").setIssuer("keyward").setAudience(aud).setIssuedAt().setExpirationTime("1h").setJti(claims.jti)
        .sign(privateKey);
    const otherAudience = await sign("someone-else");
    expect(await check(otherAudience)).toMatchObject({ ok: false, status: 401 });
    await joseRefuses(otherAudience);

    const none = new UnsecuredJWT({ workspace: t.fx.acme.id, scopes: ["api_keys:read"], jti: claims.jti, sub: "x" })
      .setIssuer("keyward").setAudience("keyward").setIssuedAt().setExpirationTime("1h").encode();
    expect(decodeProtectedHeader(none).alg).toBe("none");
    expect(await check(none)).toMatchObject({ ok: false, status: 401 });
    // A none token with a signature part glued on still fails.
    expect(await check(none + "AAAA")).toMatchObject({ ok: false, status: 401 });
    await joseRefuses(none + "AAAA");

    const hs = await new SignJWT({ workspace: t.fx.acme.id, scopes: ["api_keys:read"] })
      .setProtectedHeader({ alg: "HS256", kid })
      .setSubject("x").setIssuer("keyward").setAudience("keyward").setIssuedAt().setExpirationTime("1h").setJti(claims.jti)
      .sign(new TextEncoder().encode(JSON.stringify(await publishedKeys(t.db))));
    expect(await check(hs)).toMatchObject({ ok: false, status: 401 });
    await joseRefuses(hs);

    const unknownKid = `${Buffer.from(JSON.stringify({ alg: "ES256", kid: "nope" })).toString("base64url")}.${p}.${s}`;
    expect(await check(unknownKid)).toMatchObject({ ok: false, status: 401 });
  });

  it("refuses huge and malformed tokens before parsing them, with a clear message", async () => {
    const huge = "eyJ" + "a".repeat(MAX_TOKEN_BYTES) + ".b.c";
    expect(await check(huge)).toMatchObject({ ok: false, status: 401, message: expect.stringContaining(`${MAX_TOKEN_BYTES} bytes`) });
    expect(await check("not-a-jwt")).toMatchObject({ ok: false, status: 401, message: expect.stringContaining("three base64url parts") });
    expect(await check("!!!.@@@.###")).toMatchObject({ ok: false, status: 401 });
    expect(await check("bm90IGpzb24.e30.AAAA")).toMatchObject({ ok: false, status: 401, message: expect.stringContaining("header") });
    // A deeply nested header within the size limit: decoded, refused, bounded.
    const bomb = Buffer.from("[".repeat(1500) + "]".repeat(1500)).toString("base64url");
    expect(await check(`${bomb}.e30.AAAA`)).toMatchObject({ ok: false, status: 401 });
  });

  it("refuses expiries outside the presets, scopes outside the group and another tenant's group; nothing is written", async () => {
    const before = await t.db.issuedToken.count();
    const bad = [
      input({ expiresIn: "2h" }),
      input({ expiresIn: "never" }),
      input({ scopes: ["api_keys:write"], groupId: t.fx.groups.acmeReadOnly.id }),
      input({ groupId: t.fx.groups.globexAutomation.id }),
      input({ groupId: t.fx.groups.acmeSupport.id }),
      input({ scopes: [] }),
    ];
    for (const body of bad) {
      const result = await issueUserToken(t.db, ctx(), body);
      expect(result.ok, JSON.stringify(body)).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("validation");
    }
    expect(await t.db.issuedToken.count()).toBe(before);
  });

  it("exchanges a key for a token with at most its scopes and its expiry", async () => {
    const key = {
      id: "key_x",
      tenantId: t.fx.acme.id,
      name: "ERP",
      secretPrefix: "kw_abcdefgh",
      scopes: ["api_keys:read"],
      expiresAt: new Date(Date.now() + 10 * 60_000),
      groupId: t.fx.groups.acmeReadOnly.id,
    };
    const result = await exchangeKeyForToken(t.db, { key, requestId: "req_x" }, { expiresIn: "24h" });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.claims).toMatchObject({ sub: "key_x", scopes: ["api_keys:read"] });
    expect(result.value.claims.exp).toBe(Math.floor(key.expiresAt.getTime() / 1000));
    const beyond = await exchangeKeyForToken(t.db, { key, requestId: "req_x" }, { expiresIn: "1h", scopes: ["api_keys:write"] });
    expect(beyond).toMatchObject({ ok: false, error: { code: "scope_exceeded" } });
    expect(await exchangeKeyForToken(t.db, { key, requestId: "req_x" }, { expiresIn: "90d" })).toMatchObject({ ok: false, error: { code: "validation" } });
  });

  it("revocation refuses the token on the next verification and lists it, with a new ETag", async () => {
    const { token, claims } = await issue();
    const before = await revocationList(t.db);
    expect((await check(token)).ok).toBe(true);
    const actor = { type: "user" as const, userId: t.fx.users.admin.id, label: t.fx.users.admin.email };
    expect((await revokeToken(t.db, { tenantId: t.fx.acme.id, actor, requestId: "req_r" }, claims.jti)).ok).toBe(true);
    expect(await check(token)).toMatchObject({ ok: false, status: 401, reason: "REVOKED" });
    const after = await revocationList(t.db);
    expect(after.body.revoked).toContainEqual({ jti: claims.jti, exp: claims.exp });
    expect(after.etag).not.toBe(before.etag);
    expect((await revocationList(t.db)).etag).toBe(after.etag);
    // Another tenant cannot revoke it; revoking again writes no second event.
    expect(await revokeToken(t.db, { tenantId: t.fx.globex.id, actor, requestId: "req_r" }, claims.jti)).toMatchObject({ ok: false, error: { code: "not_found" } });
    await revokeToken(t.db, { tenantId: t.fx.acme.id, actor, requestId: "req_r" }, claims.jti);
    expect(await t.db.auditEvent.count({ where: { action: "token.revoked" } })).toBe(1);
  });

  it("rotation: old tokens keep verifying until they expire, new ones carry the new kid, audited", async () => {
    const old = await issue({ expiresIn: "15m" });
    const rotated = await rotateSigningKey(t.db, { actor: { userId: t.fx.users.superUser.id, label: t.fx.users.superUser.email }, requestId: "req_rot" });
    expect(rotated.previousKid).toBe(old.kid);
    const fresh = await issue();
    expect(fresh.kid).toBe(rotated.kid);
    expect(fresh.kid).not.toBe(old.kid);
    expect((await check(old.token)).ok).toBe(true);
    const jwks = createLocalJWKSet({ keys: await publishedKeys(t.db) });
    await jwtVerify(old.token, jwks);
    await jwtVerify(fresh.token, jwks);
    expect((await publishedKeys(t.db)).map((k) => k.kid).sort()).toEqual([old.kid, rotated.kid].sort());
    // Once every token the old key signed has expired, it leaves the JWKS.
    const afterOld = new Date((old.claims.exp + 1) * 1000);
    expect((await publishedKeys(t.db, afterOld)).map((k) => k.kid)).toEqual([rotated.kid]);
    const event = await t.db.platformAuditEvent.findFirstOrThrow({ where: { action: "signing_key.rotated" } });
    expect(JSON.parse(event.details!)).toEqual({ kid: rotated.kid, previousKid: old.kid });
  });

  it("creates exactly one first signing key when several requests race", async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => activeSigningKey(t.db)));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect(await t.db.signingKey.count()).toBe(1);
  });
});
