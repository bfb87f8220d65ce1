// The e2e suite's contract check (e2e/api/openapi-validator.ts) really refuses what breaks the
// document: without this, a validator that accepted everything would let every spec pass.
import { describe, expect, it } from "vitest";
import { contractProblems } from "../e2e/api/openapi-validator";

const key = {
  id: "k1",
  name: "n",
  description: null,
  prefix: "kw_12345678",
  status: "active",
  expirationState: "never",
  authorizationGroup: { id: "g", name: "Read only", scopes: ["api_keys:read"] },
  ipAllowlist: [],
  expiresAt: null,
  lastUsedAt: null,
  createdAt: "2026-12-01T00:00:00.000Z",
  rotatedAt: null,
  revokedAt: null,
  previousSecretValidUntil: null,
  previousSecretPrefix: null,
  previousSecretLastUsedAt: null,
  disabledAt: null,
  serviceAccount: null,
  environment: null,
  rateLimits: null,
  credits: null,
  creditsRefill: null,
};
const ok = { method: "GET", url: "http://x/v1/api-keys/k1", status: 200, headers: { "content-type": "application/json", "x-request-id": "req_1", etag: '"v1"' }, body: JSON.stringify(key) };

describe("the OpenAPI response check of the e2e suite", () => {
  it("accepts a response as documented", () => {
    expect(contractProblems(ok)).toEqual([]);
  });
  it("refuses an undocumented status, a missing header, a body off its schema, a success on an unknown path", () => {
    expect(contractProblems({ ...ok, status: 418 })[0]).toMatch(/status not documented/);
    expect(contractProblems({ ...ok, headers: { "content-type": "application/json", etag: '"v1"' } })[0]).toMatch(/missing header X-Request-Id/);
    expect(contractProblems({ ...ok, headers: { "content-type": "application/json", "x-request-id": "r" } })[0]).toMatch(/missing header ETag/);
    const { prefix: _prefix, ...withoutPrefix } = key;
    expect(contractProblems({ ...ok, body: JSON.stringify(withoutPrefix) })[0]).toMatch(/prefix/);
    expect(contractProblems({ ...ok, method: "POST", url: "http://x/v1/api-keys", status: 201, headers: { ...ok.headers, location: "/v1/api-keys/k1" } })[0]).toMatch(/secret/);
    expect(contractProblems({ ...ok, url: "http://x/v1/nothing" })[0]).toMatch(/undocumented path/);
    expect(contractProblems({ ...ok, status: 429, body: JSON.stringify({ error: { code: "rate_limited", message: "m", requestId: "r" } }) })[0]).toMatch(/Retry-After/);
  });
});
