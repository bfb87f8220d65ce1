// /v1 authentication: 200 with a valid key, 401 for every kind of bad key (one body for all,
// no oracle), and the request id on every response.
//
// Tenant and keys: Acme only. The shared Acme bootstrap key (Full access) plus keys this file
// creates with unique names, each revoked when its test ends (at most one active at a time).
import { generateApiKeySecret, isWellFormedApiKey } from "../../lib/api-keys/key-format";
import { expect, expectApiError, expectJson, keyHeader, test, uniqueName, type ErrorBody } from "./keys";

const REQUEST_ID = /^req_[0-9a-f]{32}$/;

/** The 401 body without its request id: what must be identical for every kind of bad key. */
function withoutRequestId(body: ErrorBody) {
  const { requestId, ...rest } = body.error;
  expect(requestId).toBeTruthy();
  return rest;
}

/** Changes one character of the random part: the shape stays right, the checksum does not. */
function breakChecksum(secret: string): string {
  const i = 10;
  const replacement = secret[i] === "A" ? "B" : "A";
  return secret.slice(0, i) + replacement + secret.slice(i + 1);
}

test.describe("200 with a valid key", () => {
  test("GET /v1/whoami returns the calling key, its tenant, group, scopes and expiry", async ({ api, acme }) => {
    const name = uniqueName("whoami");
    const before = Date.now();
    const key = await acme.create({ name, group: "Read only", expiresIn: "7d" });
    const after = Date.now();

    const response = await api.get("/v1/whoami", { headers: keyHeader(key.secret) });
    const body = await expectJson(response);
    expect(body).toEqual({
      id: key.id,
      name,
      prefix: key.secret.slice(0, 11),
      tenant: { id: acme.bootstrap.tenant.id, name: "Acme" },
      authorizationGroup: { id: acme.groupId("Read only"), name: "Read only" },
      scopes: ["api_keys:read"],
      expiresAt: key.expiresAt,
    });
    expect(body.prefix).toMatch(/^kw_[0-9A-Za-z]{8}$/);
    const expires = Date.parse(body.expiresAt);
    const week = 7 * 24 * 60 * 60_000;
    expect(expires).toBeGreaterThanOrEqual(before + week - 1_000);
    expect(expires).toBeLessThanOrEqual(after + week + 1_000);
    expect(response.headers()["x-request-id"]).toMatch(REQUEST_ID);
    expect(response.headers()["cache-control"]).toContain("no-store");
    // Never the secret or its hash.
    expect(JSON.stringify(body)).not.toContain(key.secret);
  });

  test("a key of the Full access group has both scopes and no expiry", async ({ api, acme }) => {
    const body = await expectJson(await api.get("/v1/whoami", { headers: acme.auth }));
    expect(body.tenant.name).toBe("Acme");
    expect(body.authorizationGroup.name).toBe("Full access");
    expect(body.scopes).toEqual(["api_keys:read", "api_keys:write"]);
    expect(body.expiresAt).toBeNull();
  });
});

test.describe("X-Request-Id", () => {
  test("is on every response, successes and errors alike, and differs per request", async ({ api, acme }) => {
    const responses = [
      await api.get("/v1/whoami", { headers: acme.auth }),
      await api.get("/v1/api-keys", { headers: acme.auth }),
      await api.get("/v1/whoami"),
      await api.get("/v1/api-keys/no-such-key", { headers: acme.auth }),
      await api.get("/v1/nope", { headers: acme.auth }),
      await api.post("/v1/api-keys", { headers: acme.auth, data: { name: "x" } }),
      await api.post("/v1/api-keys", { headers: { ...acme.auth, "Content-Type": "text/plain" }, data: "hello" }),
    ];
    const ids = responses.map((r) => r.headers()["x-request-id"]);
    for (const [i, id] of ids.entries()) expect(id, `${responses[i].url()} ${responses[i].status()}`).toMatch(REQUEST_ID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(responses.map((r) => r.status())).toEqual([200, 200, 401, 404, 404, 422, 415]);
  });

  test("a well-formed incoming X-Request-Id is echoed, in the header and in error bodies", async ({ api, acme }) => {
    const id = `e2e-${Date.now()}-abc.DEF:1`;
    const ok = await api.get("/v1/whoami", { headers: { ...acme.auth, "X-Request-Id": id } });
    expect(ok.status()).toBe(200);
    expect(ok.headers()["x-request-id"]).toBe(id);

    const denied = await api.get("/v1/whoami", { headers: { "X-Request-Id": id } });
    expect((await expectApiError(denied, 401, "unauthorized")).error.requestId).toBe(id);

    const missing = await api.get("/v1/nope", { headers: { "X-Request-Id": id } });
    expect((await expectApiError(missing, 404, "not_found")).error.requestId).toBe(id);
  });

  test("a malformed incoming X-Request-Id is replaced by a fresh one", async ({ api, acme }) => {
    for (const bad of ["short", "has spaces in it", "x".repeat(129), "semi;colon;value"]) {
      const response = await api.get("/v1/whoami", { headers: { ...acme.auth, "X-Request-Id": bad } });
      expect(response.status()).toBe(200);
      expect(response.headers()["x-request-id"], bad).toMatch(REQUEST_ID);
    }
  });
});

test.describe("401 for every kind of bad key, with one body", () => {
  test("missing X-API-Key header", async ({ api }) => {
    const response = await api.get("/v1/whoami");
    await expectApiError(response, 401, "unauthorized");
    expect(response.headers()["www-authenticate"]).toContain("X-API-Key");
  });

  test("malformed keys: wrong length, wrong tag, bad checksum", async ({ api, acme }) => {
    const real = acme.bootstrap.secret;
    const broken = breakChecksum(real);
    expect(isWellFormedApiKey(broken)).toBe(false);
    const candidates = {
      "too short": real.slice(0, -1),
      "too long": `${real}A`,
      "wrong tag": `kx_${real.slice(3)}`,
      "bad checksum": broken,
      "not a key at all": "hello",
      "bearer style": `Bearer ${real}`,
    };
    const bodies = [];
    for (const [what, secret] of Object.entries(candidates)) {
      const response = await api.get("/v1/whoami", { headers: keyHeader(secret) });
      const body = await expectApiError(response, 401, "unauthorized");
      expect(response.headers()["www-authenticate"], what).toContain("X-API-Key");
      bodies.push(withoutRequestId(body));
    }
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    // The real key still works: nothing above was mistaken for it.
    expect((await api.get("/v1/whoami", { headers: acme.auth })).status()).toBe(200);
  });

  test("an unknown but well-formed key (real checksum), also on every route", async ({ api }) => {
    const unknown = generateApiKeySecret();
    expect(isWellFormedApiKey(unknown)).toBe(true);
    const headers = keyHeader(unknown);
    await expectApiError(await api.get("/v1/whoami", { headers }), 401, "unauthorized");
    await expectApiError(await api.get("/v1/api-keys", { headers }), 401, "unauthorized");
    await expectApiError(await api.post("/v1/api-keys", { headers, data: { name: "never" } }), 401, "unauthorized");
    await expectApiError(await api.get("/v1/api-keys/anything", { headers }), 401, "unauthorized");
    await expectApiError(await api.patch("/v1/api-keys/anything", { headers, data: {} }), 401, "unauthorized");
    await expectApiError(await api.delete("/v1/api-keys/anything", { headers }), 401, "unauthorized");
    await expectApiError(await api.post("/v1/api-keys/anything/rotate", { headers }), 401, "unauthorized");
  });

  test("a revoked key answers exactly like an unknown key", async ({ api, acme }) => {
    const key = await acme.create({ name: uniqueName("revoked"), group: "Read only" });
    expect((await api.get("/v1/whoami", { headers: keyHeader(key.secret) })).status()).toBe(200);
    await acme.revoke(key.id);

    const revoked = await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(key.secret) }), 401, "unauthorized");
    const unknown = await expectApiError(
      await api.get("/v1/whoami", { headers: keyHeader(generateApiKeySecret()) }),
      401,
      "unauthorized",
    );
    const missing = await expectApiError(await api.get("/v1/whoami"), 401, "unauthorized");
    expect(withoutRequestId(revoked)).toEqual(withoutRequestId(unknown));
    expect(withoutRequestId(missing)).toEqual(withoutRequestId(unknown));
    expect(revoked.error.requestId).not.toBe(unknown.error.requestId);
  });

  test("an expired key answers exactly like an unknown key", async ({ api, acme }) => {
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const key = await acme.create({ name: uniqueName("expired"), group: "Read only", expiresAt });
    expect(key.expiresAt).toBe(expiresAt);
    expect((await api.get("/v1/whoami", { headers: keyHeader(key.secret) })).status()).toBe(200);
    // Until the expiry instant has passed on the server.
    await expect.poll(async () => (await api.get("/v1/whoami", { headers: keyHeader(key.secret) })).status(), { intervals: [100] }).toBe(401);

    const expired = await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(key.secret) }), 401, "unauthorized");
    const unknown = await expectApiError(
      await api.get("/v1/whoami", { headers: keyHeader(generateApiKeySecret()) }),
      401,
      "unauthorized",
    );
    expect(withoutRequestId(expired)).toEqual(withoutRequestId(unknown));
    expect((await acme.get(key.id)).status).toBe("expired");
  });
});
