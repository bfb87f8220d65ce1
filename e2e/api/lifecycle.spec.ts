// The key lifecycle through /v1: rotate (immediate and with an overlap window), revoke, expiry at
// the exact instant, last used, partial PATCH, and the list's filters and pagination. Every
// change must hold on the very next request, although the server caches verified keys (5 s).
//
// Tenant and keys: Acme only. The shared Acme bootstrap key (Full access) plus keys this file
// creates with unique names; each test revokes what it created (at most one or two active at a
// time, so that the tenant stays below its limit of 10 while other workers run).
import { expect, expectApiError, expectJson, keyHeader, sleep, test, uniqueName, type ApiKeyJson } from "./keys";

test.describe("rotate", () => {
  test("with a 1h overlap both secrets work; a second, immediate rotation ends both old secrets at once", async ({
    api,
    acme,
  }) => {
    const key = await acme.create({ name: uniqueName("rotate overlap"), group: "Read only" });
    const first = key.secret;
    // Cached from here on.
    await expectJson(await api.get("/v1/whoami", { headers: keyHeader(first) }));

    const before = Date.now();
    const rotated = await expectJson<ApiKeyJson & { secret: string }>(
      await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: acme.auth, data: { overlap: "1h" } }),
    );
    const second = rotated.secret;
    expect(second).not.toBe(first);
    expect(rotated.id).toBe(key.id);
    expect(rotated.prefix).toBe(second.slice(0, 11));
    expect(rotated.prefix).not.toBe(key.prefix);
    expect(rotated.name).toBe(key.name);
    expect(rotated.authorizationGroup).toEqual(key.authorizationGroup);
    expect(rotated.rotatedAt).not.toBeNull();
    const validUntil = Date.parse(rotated.previousSecretValidUntil ?? "");
    expect(validUntil).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000);
    expect(validUntil).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1_000);

    for (const secret of [first, second]) {
      const me = await expectJson(await api.get("/v1/whoami", { headers: keyHeader(secret) }));
      expect(me.id).toBe(key.id);
    }
    // The new secret shows the new prefix; the old one, during the overlap, is the same key.
    expect((await expectJson(await api.get("/v1/whoami", { headers: keyHeader(second) }))).prefix).toBe(rotated.prefix);

    // Rotate again, no overlap: every earlier secret dies now, the newest works.
    const again = await expectJson<ApiKeyJson & { secret: string }>(
      await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: acme.auth, data: { overlap: "none" } }),
    );
    const third = again.secret;
    expect(again.previousSecretValidUntil).toBeNull();
    await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(first) }), 401, "unauthorized");
    await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(second) }), 401, "unauthorized");
    expect((await expectJson(await api.get("/v1/whoami", { headers: keyHeader(third) }))).id).toBe(key.id);
    // They stay dead once the cache's TTL has passed too: lib/verify/verify-rules.test.ts checks
    // that on an injected clock, instead of this test waiting 5 s for the server's.
    await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(second) }), 401, "unauthorized");
    await expectJson(await api.get("/v1/whoami", { headers: keyHeader(third) }));
    expect((await acme.get(key.id)).prefix).toBe(again.prefix);
  });

  test("during an overlap the previous secret may read but every key-management write with it is 403", async ({ api, acme }) => {
    // Issue 10.1: a leaked, superseded secret must not rotate the key away from its owner.
    const key = await acme.create({ name: uniqueName("overlap read only"), group: "Full access" });
    const rotated = await expectJson<ApiKeyJson & { secret: string }>(
      await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: keyHeader(key.secret), data: { overlap: "1h" } }),
    );
    const old = keyHeader(key.secret);
    expect((await expectJson(await api.get("/v1/whoami", { headers: old }))).id).toBe(key.id);
    await expectJson(await api.get(`/v1/api-keys/${key.id}`, { headers: old }));
    for (const response of [
      await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: old, data: { overlap: "none" } }),
      await api.patch(`/v1/api-keys/${key.id}`, { headers: old, data: { description: "taken over" } }),
      await api.delete(`/v1/api-keys/${key.id}`, { headers: old }),
      await api.post("/v1/api-keys", { headers: old, data: { name: uniqueName("minted"), groupId: acme.groupId("Read only") } }),
    ]) {
      await expectApiError(response, 403, "previous_secret_read_only");
    }
    // The new secret is untouched and still may write.
    const after = await acme.get(key.id);
    expect(after).toMatchObject({ status: "active", prefix: rotated.prefix, description: key.description });
    await expectJson(await api.patch(`/v1/api-keys/${key.id}`, { headers: keyHeader(rotated.secret), data: { description: "owner" } }));
    await expectJson(await api.delete(`/v1/api-keys/${key.id}`, { headers: keyHeader(rotated.secret) }));
  });

  test("by default the old secret fails on the very next request, although it was just cached", async ({ api, acme }) => {
    const key = await acme.create({ name: uniqueName("rotate immediate"), group: "Read only", ipAllowlist: "" });
    const old = key.secret;
    await expectJson(await api.get("/v1/whoami", { headers: keyHeader(old) }));
    await expectJson(await api.get("/v1/api-keys", { headers: keyHeader(old) }));

    // No body at all: the default, immediate.
    const rotated = await expectJson<ApiKeyJson & { secret: string }>(
      await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: acme.auth }),
    );
    expect(rotated.previousSecretValidUntil).toBeNull();
    await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(old) }), 401, "unauthorized");
    await expectApiError(await api.get("/v1/api-keys", { headers: keyHeader(old) }), 401, "unauthorized");
    expect((await expectJson(await api.get("/v1/whoami", { headers: keyHeader(rotated.secret) }))).id).toBe(key.id);

    // An empty JSON object is the same default.
    const next = await expectJson<ApiKeyJson & { secret: string }>(
      await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: acme.auth, data: {} }),
    );
    await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(rotated.secret) }), 401, "unauthorized");
    await expectJson(await api.get("/v1/whoami", { headers: keyHeader(next.secret) }));
  });

  test("a key can rotate itself; its old secret then fails", async ({ api, acme }) => {
    const key = await acme.create({ name: uniqueName("rotate self") });
    const rotated = await expectJson<ApiKeyJson & { secret: string }>(
      await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: keyHeader(key.secret) }),
    );
    await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(key.secret) }), 401, "unauthorized");
    await expectJson(await api.get("/v1/whoami", { headers: keyHeader(rotated.secret) }));
  });
});

test.describe("revoke", () => {
  test("takes effect on the very next request, although the key was just cached", async ({ api, acme }) => {
    const key = await acme.create({ name: uniqueName("revoke") });
    const headers = keyHeader(key.secret);
    await expectJson(await api.get("/v1/whoami", { headers }));
    await expectJson(await api.get("/v1/api-keys?pageSize=10", { headers }));

    const revoked = await acme.revoke(key.id);
    expect(revoked.status).toBe("revoked");
    expect(revoked.revokedAt).not.toBeNull();

    await expectApiError(await api.get("/v1/whoami", { headers }), 401, "unauthorized");
    await expectApiError(await api.get("/v1/api-keys", { headers }), 401, "unauthorized");
    await expectApiError(await api.post("/v1/api-keys", { headers, data: { name: "after revoke" } }), 401, "unauthorized");
  });

  test("is permanent: a revoked key cannot be revoked, edited or rotated again (409)", async ({ api, acme }) => {
    const key = await acme.create({ name: uniqueName("revoke twice"), group: "Read only" });
    await acme.revoke(key.id);
    await expectApiError(await api.delete(`/v1/api-keys/${key.id}`, { headers: acme.auth }), 409, "conflict");
    await expectApiError(
      await api.patch(`/v1/api-keys/${key.id}`, { headers: acme.auth, data: { name: "revived" } }),
      409,
      "conflict",
    );
    await expectApiError(await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: acme.auth }), 409, "conflict");
    const after = await acme.get(key.id);
    expect(after).toMatchObject({ status: "revoked", name: key.name, prefix: key.prefix });
    await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(key.secret) }), 401, "unauthorized");
  });

  test("a key can revoke itself; its next request fails", async ({ api, acme }) => {
    const key = await acme.create({ name: uniqueName("revoke self") });
    const headers = keyHeader(key.secret);
    expect((await expectJson(await api.delete(`/v1/api-keys/${key.id}`, { headers }))).status).toBe("revoked");
    await expectApiError(await api.get("/v1/whoami", { headers }), 401, "unauthorized");
  });
});

test.describe("expiry", () => {
  test("a key works strictly before expiresAt and fails within a second after it", async ({ api, acme }) => {
    const expiresAt = new Date(Date.now() + 3_000).toISOString();
    const key = await acme.create({ name: uniqueName("expiry"), group: "Read only", expiresAt });
    expect(key.expiresAt).toBe(expiresAt);
    expect(key.status).toBe("active");
    const deadline = Date.parse(expiresAt);

    type Sample = { sent: number; received: number; status: number };
    const samples: Sample[] = [];
    for (;;) {
      const sent = Date.now();
      const response = await api.get("/v1/whoami", { headers: keyHeader(key.secret) });
      const received = Date.now();
      samples.push({ sent, received, status: response.status() });
      if (response.status() !== 200 || sent > deadline + 3_000) break;
      await sleep(50);
    }
    const shown = JSON.stringify(samples.map((s) => ({ ...s, sent: s.sent - deadline, received: s.received - deadline })));
    const last = samples.at(-1)!;
    expect(samples[0].status, shown).toBe(200);
    expect(samples.filter((s) => s.status === 200).length, shown).toBeGreaterThan(5);
    expect(last.status, shown).toBe(401);
    // 200 only for requests sent strictly before the instant (the server's clock is ours)...
    for (const s of samples.filter((x) => x.status === 200)) expect(s.sent, shown).toBeLessThan(deadline);
    // ...401 only once it has passed, and no later than a second after it.
    for (const s of samples.filter((x) => x.status !== 200)) expect(s.received, shown).toBeGreaterThanOrEqual(deadline);
    expect(last.received, shown).toBeLessThanOrEqual(deadline + 1_000);

    await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(key.secret) }), 401, "unauthorized");
    const after = await acme.get(key.id);
    expect(after.status).toBe("expired");
    expect(after.expirationState).toBe("expired");
  });
});

test.describe("last used", () => {
  test("is null for a new key and set within seconds of its first request", async ({ api, acme }) => {
    test.setTimeout(90_000);
    const key = await acme.create({ name: uniqueName("last used"), group: "Read only" });
    expect(key.lastUsedAt).toBeNull();
    // Reading the key with another key is not a use of it.
    expect((await acme.get(key.id)).lastUsedAt).toBeNull();

    const before = Date.now();
    await expectJson(await api.get("/v1/whoami", { headers: keyHeader(key.secret) }));
    const usedAt = Date.now();

    let lastUsedAt: string | null = null;
    while (Date.now() - usedAt < 60_000) {
      lastUsedAt = (await acme.get(key.id)).lastUsedAt;
      if (lastUsedAt) break;
      await sleep(200);
    }
    const visibleAfter = Date.now() - usedAt;
    expect(lastUsedAt, "lastUsedAt after 60 s").not.toBeNull();
    // The flush interval in the e2e server is 1 s (the default, 15 s, would not pass this).
    expect(visibleAfter).toBeLessThan(10_000);
    expect(Date.parse(lastUsedAt!)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(lastUsedAt!)).toBeLessThanOrEqual(usedAt + 1_000);

    // A later request moves it forward (past the first use, which it follows by at least a round trip).
    const secondUse = Date.now();
    await expectJson(await api.get("/v1/api-keys?pageSize=10", { headers: keyHeader(key.secret) }));
    await expect
      .poll(async () => Date.parse((await acme.get(key.id)).lastUsedAt ?? "0"), { timeout: 10_000 })
      .toBeGreaterThan(Date.parse(lastUsedAt!));
    expect(Date.parse((await acme.get(key.id)).lastUsedAt!)).toBeGreaterThanOrEqual(secondUse - 1_000);
  });
});

test.describe("PATCH", () => {
  test("changes only the fields it names; ipAllowlist as an array or as lines", async ({ api, acme }) => {
    const key = await acme.create({
      name: uniqueName("patch"),
      description: "original description",
      group: "Read only",
      ipAllowlist: ["10.0.0.1"],
      expiresIn: "30d",
    });
    const patch = async (data: Record<string, unknown>) =>
      expectJson<ApiKeyJson>(await api.patch(`/v1/api-keys/${key.id}`, { headers: acme.auth, data }));

    const renamed = `${key.name} renamed`;
    let after = await patch({ name: renamed });
    expect(after).toMatchObject({
      name: renamed,
      description: "original description",
      authorizationGroup: { name: "Read only" },
      ipAllowlist: ["10.0.0.1"],
      expiresAt: key.expiresAt,
      prefix: key.prefix,
      status: "active",
    });

    after = await patch({ ipAllowlist: ["10.0.0.2", "2001:db8::/32"] });
    expect(after.ipAllowlist).toEqual(["10.0.0.2", "2001:db8::/32"]);
    expect(after.name).toBe(renamed);
    expect(after.description).toBe("original description");

    after = await patch({ ipAllowlist: "10.0.0.3\n192.168.7.0/24\r\n\n" });
    expect(after.ipAllowlist).toEqual(["10.0.0.3", "192.168.7.0/24"]);

    after = await patch({ groupId: acme.groupId("Full access") });
    expect(after.authorizationGroup).toMatchObject({ name: "Full access", scopes: ["api_keys:read", "api_keys:write"] });
    expect(after).toMatchObject({ name: renamed, description: "original description", ipAllowlist: ["10.0.0.3", "192.168.7.0/24"] });

    after = await patch({ description: "" });
    expect(after.description).toBeNull();
    after = await patch({ ipAllowlist: [] });
    expect(after.ipAllowlist).toEqual([]);

    // An empty body changes nothing.
    expect(await patch({})).toMatchObject({ name: renamed, authorizationGroup: { name: "Full access" }, ipAllowlist: [] });

    // The expiry is not editable: refused out loud (422), nothing changed. Status, prefix and
    // secret are not fields of the resource here: ignored.
    const refused = await expectApiError(
      await api.patch(`/v1/api-keys/${key.id}`, { headers: acme.auth, data: { expiresAt: new Date(Date.now() + 86_400_000).toISOString() } }),
      422,
      "validation_failed",
    );
    expect(Object.keys(refused.error.fieldErrors ?? {})).toEqual(["expiresAt"]);
    after = await patch({ status: "revoked", prefix: "kw_hacked00" });
    expect(after).toMatchObject({ expiresAt: key.expiresAt, status: "active", prefix: key.prefix });

    // The new group's scope holds on the next request (edits evict the cached key).
    await expectJson(await api.get("/v1/whoami", { headers: keyHeader(key.secret) }));
    await patch({ groupId: acme.groupId("Read only") });
    await expectApiError(
      await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: keyHeader(key.secret) }),
      403,
      "insufficient_scope",
    );
    await patch({ ipAllowlist: ["10.9.9.9"] });
    await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(key.secret) }), 403, "ip_not_allowed");
  });
});

test.describe("GET /v1/api-keys", () => {
  test("filters by status, expiry and name, and pages with correct totals", async ({ api, acme }) => {
    const token = uniqueName("list");
    const alpha = await acme.create({ name: `${token} alpha`, group: "Read only" });
    const beta = await acme.create({ name: `${token} beta`, group: "Read only" });
    await acme.revoke(beta.id);
    const soon = await acme.create({ name: `${token} soon`, group: "Read only", expiresIn: "24h" });

    const names = (rows: ApiKeyJson[]) => rows.map((r) => r.name).sort();
    let page = await acme.list({ q: token });
    expect(page.pagination).toEqual({ page: 1, pageSize: 20, total: 3 });
    expect(names(page.data)).toEqual([`${token} alpha`, `${token} beta`, `${token} soon`]);
    for (const row of page.data) {
      expect(row).not.toHaveProperty("secret");
      expect(row).not.toHaveProperty("hash");
    }

    page = await acme.list({ q: token, status: "revoked" });
    expect(page.pagination.total).toBe(1);
    expect(page.data.map((r) => [r.id, r.status])).toEqual([[beta.id, "revoked"]]);

    page = await acme.list({ q: token, status: "active" });
    expect(names(page.data)).toEqual([`${token} alpha`, `${token} soon`]);

    // A 24-hour key just made is not expiring soon: that is its last 20% (4.8 hours).
    page = await acme.list({ q: token, expiry: "expiring_soon" });
    expect(page.data.map((r) => r.id)).toEqual([]);
    page = await acme.list({ q: token, expiry: "valid" });
    expect(page.data.find((r) => r.id === soon.id)?.expirationState).toBe("valid");

    page = await acme.list({ q: token, status: "active", expiry: "valid" });
    expect(names(page.data)).toEqual([`${token} alpha`, `${token} soon`]);

    page = await acme.list({ q: `${token} alp` });
    expect(page.data.map((r) => r.id)).toEqual([alpha.id]);

    // Another tenant's names are never matched (Globex's seeded key).
    expect((await acme.list({ q: "Globex Billing Bridge" })).pagination.total).toBe(0);

    await acme.revoke(alpha.id);
    await acme.revoke(soon.id);

    // Pagination: 11 keys, each revoked at once so the tenant's active count barely moves.
    const pageToken = `${token} page`;
    const ids: string[] = [];
    for (let i = 1; i <= 11; i++) {
      const key = await acme.create({ name: `${pageToken} ${String(i).padStart(2, "0")}`, group: "Read only" });
      await acme.revoke(key.id);
      ids.push(key.id);
    }
    const first = await acme.list({ q: pageToken, pageSize: 10, page: 1, sort: "name", order: "asc" });
    expect(first.pagination).toEqual({ page: 1, pageSize: 10, total: 11 });
    expect(first.data.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `${pageToken} ${String(i + 1).padStart(2, "0")}`));
    const second = await acme.list({ q: pageToken, pageSize: 10, page: 2, sort: "name", order: "asc" });
    expect(second.pagination).toEqual({ page: 2, pageSize: 10, total: 11 });
    expect(second.data.map((r) => r.name)).toEqual([`${pageToken} 11`]);
    const beyond = await acme.list({ q: pageToken, pageSize: 10, page: 3 });
    expect(beyond.data).toEqual([]);
    expect(beyond.pagination.total).toBe(11);

    const descending = await acme.list({ q: pageToken, pageSize: 20, sort: "name", order: "desc" });
    expect(descending.data.map((r) => r.name)[0]).toBe(`${pageToken} 11`);
    expect(new Set(descending.data.map((r) => r.id))).toEqual(new Set(ids));

    // Bad paging values fall back to the defaults instead of failing.
    const fallback = await acme.list({ q: pageToken, pageSize: 7, page: "x", sort: "nonsense" });
    expect(fallback.pagination).toEqual({ page: 1, pageSize: 20, total: 11 });

    // A read-only key may list too.
    const reader = await acme.create({ name: `${token} reader`, group: "Read only" });
    const viaReader = await expectJson(await api.get(`/v1/api-keys?q=${encodeURIComponent(pageToken)}`, { headers: keyHeader(reader.secret) }));
    expect(viaReader.pagination.total).toBe(11);
  });
});
