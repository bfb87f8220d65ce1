// /v1 authorization: 403 for a key without the scope a route needs, and for a key used from an
// address outside its IP allowlist, including a forged X-Forwarded-For from an untrusted peer.
//
// Tenant and keys: Acme only. The shared Acme bootstrap key (Full access) plus keys this file
// creates with unique names (Read only group, or an IP allowlist), revoked when each test ends.
import { expect, expectApiError, expectJson, keyHeader, test, uniqueName } from "./keys";

test.describe("403 without the needed scope", () => {
  test("a read-only key may read but not create, edit, revoke or rotate", async ({ api, acme }) => {
    const key = await acme.create({ name: uniqueName("read only"), group: "Read only", description: "before" });
    const headers = keyHeader(key.secret);

    await expectJson(await api.get("/v1/whoami", { headers }));
    const list = await expectJson(await api.get("/v1/api-keys", { headers }));
    expect(list.pagination.total).toBeGreaterThan(0);
    await expectJson(await api.get(`/v1/api-keys/${key.id}`, { headers }));

    const attemptName = uniqueName("created by a read-only key");
    const denied = [
      await api.post("/v1/api-keys", {
        headers,
        data: { name: attemptName, groupId: acme.groupId("Full access") },
      }),
      await api.patch(`/v1/api-keys/${key.id}`, { headers, data: { name: "renamed", groupId: acme.groupId("Full access") } }),
      await api.delete(`/v1/api-keys/${key.id}`, { headers }),
      await api.post(`/v1/api-keys/${key.id}/rotate`, { headers }),
      await api.post(`/v1/api-keys/${acme.bootstrap.id}/rotate`, { headers, data: { overlap: "1h" } }),
      // The scope is checked before the body is even read.
      await api.post("/v1/api-keys", { headers: { ...headers, "Content-Type": "application/json" }, data: Buffer.from("{not json") }),
    ];
    for (const response of denied) {
      const body = await expectApiError(response, 403, "insufficient_scope");
      expect(body.error.message).toContain("api_keys:write");
    }

    // Nothing changed: no new key, the key itself untouched, its secret still valid.
    expect((await acme.list({ q: attemptName })).pagination.total).toBe(0);
    const after = await acme.get(key.id);
    expect(after).toMatchObject({
      name: key.name,
      description: "before",
      status: "active",
      prefix: key.prefix,
      rotatedAt: null,
      revokedAt: null,
      authorizationGroup: { name: "Read only" },
    });
    await expectJson(await api.get("/v1/whoami", { headers }));
    await expectJson(await api.get("/v1/whoami", { headers: acme.auth }));
  });
});

test.describe("403 outside the IP allowlist", () => {
  test("from 127.0.0.1, not on the allowlist 10.9.9.9", async ({ playwright, urls, acme }) => {
    const key = await acme.create({ name: uniqueName("allowlist"), ipAllowlist: ["10.9.9.9"] });
    expect(key.ipAllowlist).toEqual(["10.9.9.9"]);
    // A direct request from the trusted proxy itself, no X-Forwarded-For: the client is 127.0.0.1.
    const direct = await playwright.request.newContext({ baseURL: urls.trusted });
    try {
      const body = await expectApiError(
        await direct.get("/v1/whoami", { headers: keyHeader(key.secret) }),
        403,
        "ip_not_allowed",
      );
      expect(body.error.message).toMatch(/IP address/);
    } finally {
      await direct.dispose();
    }
  });

  test("a forged X-Forwarded-For from an untrusted peer does not pass; through the trusted proxy it does", async ({
    playwright,
    urls,
    acme,
  }) => {
    const key = await acme.create({ name: uniqueName("allowlist xff"), ipAllowlist: "10.9.9.9" });
    const headers = { ...keyHeader(key.secret), "X-Forwarded-For": "10.9.9.9" };

    // ::1 is not a trusted proxy: whatever it says in X-Forwarded-For is ignored.
    const untrusted = await playwright.request.newContext({ baseURL: urls.untrusted });
    try {
      await expectApiError(await untrusted.get("/v1/whoami", { headers }), 403, "ip_not_allowed");
      await expectApiError(
        await untrusted.get("/v1/whoami", { headers: { ...headers, "X-Real-IP": "10.9.9.9", Forwarded: "for=10.9.9.9" } }),
        403,
        "ip_not_allowed",
      );
      // The untrusted peer's own requests work with a key that has no allowlist.
      await expectJson(await untrusted.get("/v1/whoami", { headers: acme.auth }));
    } finally {
      await untrusted.dispose();
    }

    const trusted = await playwright.request.newContext({ baseURL: urls.trusted });
    try {
      const body = await expectJson(await trusted.get("/v1/whoami", { headers }));
      expect(body.id).toBe(key.id);
      // A proxy appends the address it saw: a client's own entry on the left does not count.
      await expectApiError(
        await trusted.get("/v1/whoami", { headers: { ...headers, "X-Forwarded-For": "10.9.9.9, 203.0.113.7" } }),
        403,
        "ip_not_allowed",
      );
      // Trusted proxies on the right are skipped: the client is the right-most untrusted entry.
      await expectJson(
        await trusted.get("/v1/whoami", { headers: { ...headers, "X-Forwarded-For": "203.0.113.7, 10.9.9.9, 127.0.0.1" } }),
      );
    } finally {
      await trusted.dispose();
    }
  });

  test("CIDR ranges and IPv6 entries match the client address", async ({ api, playwright, urls, acme }) => {
    const key = await acme.create({ name: uniqueName("allowlist cidr"), ipAllowlist: ["10.20.0.0/16", "2001:db8:ffff::/48"] });
    const trusted = await playwright.request.newContext({ baseURL: urls.trusted });
    try {
      const from = (address: string) =>
        trusted.get("/v1/whoami", { headers: { ...keyHeader(key.secret), "X-Forwarded-For": address } });
      await expectJson(await from("10.20.255.1"));
      await expectJson(await from("2001:db8:ffff:1::5"));
      await expectApiError(await from("10.21.0.1"), 403, "ip_not_allowed");
      await expectApiError(await from("2001:db8:fffe::1"), 403, "ip_not_allowed");
    } finally {
      await trusted.dispose();
    }
    // `api` sends this test's own address, outside the list.
    await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(key.secret) }), 403, "ip_not_allowed");
  });
});
