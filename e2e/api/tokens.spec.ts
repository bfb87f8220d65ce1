// Signed tokens through the API (issue 14): token exchange with an API key; the token verifies
// in jose (remote JWKS) and jsonwebtoken + jwks-rsa against this server's /.well-known/jwks.json,
// and in Keyward itself as Authorization: Bearer on /v1; tampered, expired, wrong-audience,
// alg:none, huge and malformed tokens fail everywhere (in the envelope, never a 500); a revoke is
// refused on the next request and listed with an ETag.
//
// Tenant and keys: Acme's bootstrap key (Full access) and one Read only key this file creates.
import { decodeJwt, decodeProtectedHeader } from "jose";
import { expect, expectApiError, expectJson, test } from "./keys";
import { algNone, bearer, tampered, verifiers } from "./token-verifiers";

type Issued = { token: string; tokenType: string; kid: string; expiresAt: string; claims: Record<string, unknown> & { jti: string; exp: number } };

test.describe("token exchange", () => {
  test("a key's token verifies in jose and jsonwebtoken against our JWKS, and in Keyward as a Bearer", async ({ api, acme, urls }) => {
    const jwks = await api.get("/.well-known/jwks.json");
    expect(jwks.status()).toBe(200);
    expect(jwks.headers()["cache-control"]).toMatch(/max-age=\d+/);
    const issued = await acme.issueToken<Issued>({ expiresIn: "15m", scopes: ["api_keys:read"] });
    expect(decodeProtectedHeader(issued.token)).toMatchObject({ alg: "ES256", kid: issued.kid });
    expect((await jwks.json()).keys.map((k: { kid: string }) => k.kid)).toContain(issued.kid);
    const claims = decodeJwt(issued.token);
    expect(claims).toMatchObject({ sub: acme.bootstrap.id, workspace: acme.bootstrap.tenant.id, scopes: ["api_keys:read"], iss: "keyward", aud: "keyward" });
    expect(claims.exp! - claims.iat!).toBe(15 * 60);

    const { withJose, withJsonwebtoken } = verifiers(urls.trusted);
    expect(await withJose(issued.token)).toMatchObject({ jti: issued.claims.jti });
    expect(await withJsonwebtoken(issued.token)).toMatchObject({ jti: issued.claims.jti });

    const whoami = await expectJson(await api.get("/v1/whoami", { headers: bearer(issued.token) }));
    expect(whoami).toMatchObject({ tenant: { id: acme.bootstrap.tenant.id, name: "Acme" }, scopes: ["api_keys:read"] });
    await expectJson(await api.get("/v1/api-keys?pageSize=10", { headers: bearer(issued.token) }));
    // The token has only api_keys:read: writing is 403, as for a key without the scope.
    await expectApiError(await api.post("/v1/api-keys", { headers: bearer(issued.token), data: { name: "x", groupId: acme.groupId("Read only") } }), 403, "insufficient_scope");
    // A token cannot be exchanged for another.
    await expectApiError(await api.post("/v1/tokens", { headers: bearer(issued.token), data: { expiresIn: "15m" } }), 403, "api_key_required");
  });

  test("tampered, expired, wrong-audience and alg:none tokens fail in both libraries and in Keyward", async ({ api, acme, urls }) => {
    const issued = await acme.issueToken<Issued>({ expiresIn: "1h" });
    const { withJose, withJsonwebtoken } = verifiers(urls.trusted);
    const later = new Date((issued.claims.exp + 60) * 1000);
    for (const [what, token, check] of [
      ["tampered", tampered(issued.token), {}],
      ["alg none", algNone(issued.token), {}],
      ["expired", issued.token, { now: later }],
      ["wrong audience", issued.token, { audience: "another-service" }],
    ] as const) {
      await expect(withJose(token, check), what).rejects.toThrow();
      await expect(withJsonwebtoken(token, check), what).rejects.toThrow();
    }
    await expectApiError(await api.get("/v1/whoami", { headers: bearer(tampered(issued.token)) }), 401, "unauthorized");
    await expectApiError(await api.get("/v1/whoami", { headers: bearer(algNone(issued.token)) }), 401, "unauthorized");
  });

  test("huge, malformed and bad-input tokens and requests get clear errors, never a 500", async ({ api, acme }) => {
    const huge = await expectApiError(await api.get("/v1/whoami", { headers: bearer("eyJ" + "A".repeat(9000) + ".e30.AAAA") }), 401, "unauthorized");
    expect(huge.error.message).toMatch(/exceeds 4096 bytes/);
    const malformed = await expectApiError(await api.get("/v1/whoami", { headers: bearer("not.a-jwt") }), 401, "unauthorized");
    expect(malformed.error.message).toMatch(/not a JWT/);
    await expectApiError(await api.get("/v1/whoami", { headers: bearer("%%%.***.###") }), 401, "unauthorized");
    const bomb = Buffer.from("[".repeat(1400) + "]".repeat(1400)).toString("base64url");
    await expectApiError(await api.get("/v1/whoami", { headers: bearer(`${bomb}.e30.AAAA`) }), 401, "unauthorized");

    const badPreset = await expectApiError(await api.post("/v1/tokens", { headers: acme.auth, data: { expiresIn: "2h" } }), 422, "validation_failed");
    expect(badPreset.error.fieldErrors?.expiresIn?.[0]).toMatch(/15m, 1h, 8h, 24h, 7d, 30d/);
    await expectApiError(await api.post("/v1/tokens", { headers: acme.auth, data: {} }), 422, "validation_failed");
    const reader = await acme.create({ name: `token reader ${Date.now()}`, group: "Read only" });
    await expectApiError(
      await api.post("/v1/tokens", { headers: { "X-API-Key": reader.secret }, data: { expiresIn: "1h", scopes: ["api_keys:write"] } }),
      403,
      "scope_exceeded",
    );
  });

  test("a revoked token is refused on the next request and listed, with an ETag", async ({ api, acme }) => {
    const issued = await acme.issueToken<Issued>({ expiresIn: "8h" });
    await expectJson(await api.get("/v1/whoami", { headers: bearer(issued.token) }));
    const before = await api.get("/v1/tokens/revocations");
    const beforeTag = before.headers()["etag"];
    expect(beforeTag).toBeTruthy();
    const unchanged = await api.get("/v1/tokens/revocations", { headers: { "If-None-Match": beforeTag } });
    expect(unchanged.status()).toBe(304);

    await expectJson(await api.delete(`/v1/tokens/${issued.claims.jti}`, { headers: acme.auth }));
    await expectApiError(await api.get("/v1/whoami", { headers: bearer(issued.token) }), 401, "unauthorized");
    const after = await api.get("/v1/tokens/revocations", { headers: { "If-None-Match": beforeTag } });
    expect(after.status()).toBe(200);
    expect(after.headers()["etag"]).not.toBe(beforeTag);
    expect((await after.json()).revoked).toContainEqual({ jti: issued.claims.jti, exp: issued.claims.exp });
    await expectApiError(await api.delete(`/v1/tokens/not-a-token`, { headers: acme.auth }), 404, "not_found");
  });
});
