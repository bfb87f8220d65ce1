// The failed-attempts throttle: after KEYWARD_AUTH_FAILURE_LIMIT (10 in the e2e server) bad keys
// from one address within the window (60 s), that address's bad keys (unknown, malformed,
// missing) get 429 with Retry-After; a valid key from the same address keeps working (issue 10.3:
// throttle what is bad, not who); other addresses are not affected.
//
// Tenant and keys: Acme's shared bootstrap key only (no key is created). Client addresses are
// simulated with X-Forwarded-For through the trusted proxy 127.0.0.1; the throttled address is
// 198.51.100.N with N random, so that other tests (and runs) are not affected.
import { generateApiKeySecret } from "../../lib/api-keys/key-format";
import { expect, expectApiError, expectJson, keyHeader, test, uniqueClientAddress } from "./keys";

const LIMIT = 10;
const WINDOW_SECONDS = 60;

test("429 with Retry-After for bad keys after 10 bad keys from one address; a valid key keeps working; other addresses unaffected", async ({
  playwright,
  urls,
  acme,
}) => {
  const blocked = `198.51.100.${1 + Math.floor(Math.random() * 254)}`;
  const other = uniqueClientAddress();
  const from = async (address: string) =>
    playwright.request.newContext({ baseURL: urls.trusted, extraHTTPHeaders: { "X-Forwarded-For": address } });
  const attacker = await from(blocked);
  const bystander = await from(other);
  try {
    // Before: the address works.
    await expectJson(await attacker.get("/v1/whoami", { headers: acme.auth }));

    // 10 failures of different kinds: unknown, malformed, missing.
    for (let i = 0; i < LIMIT; i++) {
      const secret = i % 3 === 0 ? generateApiKeySecret() : i % 3 === 1 ? "kw_nope" : null;
      const response = await attacker.get("/v1/whoami", { headers: secret ? keyHeader(secret) : {} });
      await expectApiError(response, 401, "unauthorized");
    }

    // The 11th bad key is throttled, whatever kind it is.
    for (const headers of [keyHeader(generateApiKeySecret()), keyHeader("kw_nope"), {}]) {
      const response = await attacker.get("/v1/whoami", { headers });
      const body = await expectApiError(response, 429, "rate_limited");
      expect(body.error.message).toMatch(/Too many/i);
      const retryAfter = Number(response.headers()["retry-after"]);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    }
    // A valid key from the same address (a NAT shared with a misconfigured client) still works.
    const same = await expectJson(await attacker.get("/v1/whoami", { headers: acme.auth }));
    expect(same.id).toBe(acme.bootstrap.id);
    expect((await attacker.get("/v1/api-keys", { headers: acme.auth })).status()).toBe(200);
    await expectApiError(await attacker.get("/v1/whoami", { headers: keyHeader(generateApiKeySecret()) }), 429, "rate_limited");

    // Another address, same valid key: 200.
    const me = await expectJson(await bystander.get("/v1/whoami", { headers: acme.auth }));
    expect(me.id).toBe(acme.bootstrap.id);
    // A failure from another address is still a 401, not a 429.
    await expectApiError(await bystander.get("/v1/whoami", { headers: keyHeader(generateApiKeySecret()) }), 401, "unauthorized");
    await expectJson(await bystander.get("/v1/whoami", { headers: acme.auth }));
  } finally {
    await attacker.dispose();
    await bystander.dispose();
  }
});

test("successful requests and 403s do not count towards the throttle", async ({ api, acme }) => {
  const key = await acme.create({ name: `api throttle ${Date.now()}`, group: "Read only", ipAllowlist: "10.9.9.9" });
  for (let i = 0; i < LIMIT + 2; i++) {
    await expectJson(await api.get("/v1/whoami", { headers: acme.auth }));
    await expectApiError(await api.get("/v1/whoami", { headers: keyHeader(key.secret) }), 403, "ip_not_allowed");
  }
  await expectJson(await api.get("/v1/whoami", { headers: acme.auth }));
});
