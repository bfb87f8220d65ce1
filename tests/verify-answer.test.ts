// POST /v1/keys/verify writes its answer as text (server/verify-endpoint.ts answer(), with
// lib/verify/key-record.ts describeJson()) instead of JSON.stringify of a fresh object: these
// are the same bytes as the object the endpoint built before, for every code, and they pass the
// OpenAPI document's VerifyResult (the e2e suite's contract check).
import { describe, expect, it } from "vitest";
import { answer } from "../server/verify-endpoint";
import { describeJson, describeKey, rowToKey, type KeyRow } from "../lib/verify/key-record";
import type { CachedKey } from "../lib/api-keys/key-cache";
import { VERIFY_CODES, type VerifyCode } from "../lib/verify/schemas";
import { contractProblems } from "../e2e/api/openapi-validator";

const row = (over: Partial<KeyRow> = {}): KeyRow => ({
  id: "cmkey0000000000000000001",
  tenantId: "cmtenant0000000000000001",
  groupId: "cmgroup00000000000000001",
  name: 'Billing "sync" \u00e9\u2028',
  prefix: "kw_abcdefgh",
  previousPrefix: null,
  status: "active",
  expiresAt: null,
  ipAllowlist: "",
  hash: "aa",
  previousHashExpiresAt: null,
  tenantName: "Acme",
  groupName: "Full <access>",
  scopes: "api_keys:read api_keys:write",
  keyRateLimits: null,
  groupRateLimits: null,
  credits: null,
  creditsRefillAmount: null,
  creditsRefillInterval: null,
  creditsRefillDay: null,
  creditsRefilledAt: null,
  creditsVersion: 0,
  ...over,
});

// A key that is not a cached record (a signed token's verification makes one of these).
const plain: CachedKey = {
  id: "cmjti00000000000000000001",
  tenantId: "cmtenant0000000000000001",
  tenantName: "Acme",
  name: "token",
  prefix: "kwt",
  secretPrefix: "kwt",
  status: "active",
  expiresAt: new Date("2027-01-01T00:00:00.000Z"),
  ipAllowlist: "",
  groupId: "cmgroup00000000000000001",
  groupName: "Read only",
  scopes: [],
  previousValidUntil: null,
};

const keys: [string, CachedKey | undefined][] = [
  ["a cached key", rowToKey(row(), "aa")],
  ["a cached key with an expiry, by its previous secret", rowToKey(row({ expiresAt: "2027-03-04T05:06:07.089Z", previousHashExpiresAt: 1_900_000_000_000 }), "bb")],
  ["a cached key with no scopes", rowToKey(row({ scopes: "" }), "aa")],
  ["a token's key", plain],
  ["no key", undefined],
];

const details: Record<string, Record<string, unknown>> = {
  none: {},
  credits: { credits: { remaining: 41 } },
  claims: { claims: { sub: "u1", scopes: ["a"], jti: "j", iat: 1, exp: 2 } },
  "both": { credits: { remaining: 0 }, claims: { sub: "u1" } },
  rateLimited: { reset: "2026-12-02T00:00:01.000Z", rateLimit: { limit: 10, windowSeconds: 1, remaining: 0 } },
  usageExceeded: { reset: null, credits: { remaining: 0 } },
};
const members = (fields: Record<string, unknown>) => (Object.keys(fields).length ? "," + JSON.stringify(fields).slice(1, -1) : "");

describe("the verify endpoint's answer as text", () => {
  for (const [label, key] of keys) {
    it(`is byte for byte the object the endpoint built, for ${label}`, () => {
      for (const code of VERIFY_CODES as readonly VerifyCode[]) {
        for (const [name, extra] of Object.entries(details)) {
          const valid = code === "VALID";
          const before = JSON.stringify({ valid, code, ...describeKey(key), ...extra, requestId: 'req_"x"' });
          expect(answer(valid, code, describeJson(key), members(extra), 'req_"x"'), `${code} ${name}`).toBe(before);
        }
      }
    });
  }

  it("has every field of the documented VerifyResult, for each code", () => {
    for (const [, key] of keys) {
      for (const code of VERIFY_CODES as readonly VerifyCode[]) {
        const body = answer(code === "VALID", code, describeJson(key), "", "req_1");
        const response = { method: "POST", url: "http://x/v1/keys/verify", status: 200, headers: { "content-type": "application/json", "x-request-id": "req_1" }, body };
        expect(contractProblems(response), `${code}: ${body}`).toEqual([]);
        expect(Object.keys(JSON.parse(body))).toEqual(["valid", "code", "keyId", "tenantId", "name", "group", "scopes", "expiresAt", "requestId"]);
      }
    }
  });

  it("keeps a group's text to the group: a renamed group's keys say its new name", () => {
    const before = JSON.parse(`{${describeJson(rowToKey(row(), "aa"))}}`);
    const after = JSON.parse(`{${describeJson(rowToKey(row({ groupName: "Renamed", scopes: "api_keys:read" }), "aa"))}}`);
    expect(before.group.name).toBe("Full <access>");
    expect(after).toMatchObject({ group: { name: "Renamed" }, scopes: ["api_keys:read"] });
  });

  it("shares a group's object only between keys read with the same group, names and scopes", () => {
    const json = (r: KeyRow) => JSON.parse(`{${describeJson(rowToKey(r, "aa"))}}`);
    const first = rowToKey(row({ id: "k1" }), "aa");
    const other = rowToKey(row({ id: "k2", groupId: "cmgroup00000000000000002", groupName: "Read only", scopes: "api_keys:read" }), "aa");
    // The first group's text is made first, so a leak would show in the other group's answer.
    expect(json(row({ id: "k1" })).group).toEqual({ id: "cmgroup00000000000000001", name: "Full <access>" });
    expect(JSON.parse(`{${describeJson(other)}}`)).toMatchObject({ group: { id: "cmgroup00000000000000002", name: "Read only" }, scopes: ["api_keys:read"] });
    expect([first.groupName, first.scopes]).toEqual(["Full <access>", ["api_keys:read", "api_keys:write"]]);
    // Keys of one group read with the same row share one object (100,000 cached keys, one array).
    expect(rowToKey(row({ id: "k5" }), "aa").scopes).toBe(rowToKey(row({ id: "k6" }), "aa").scopes);
    // A renamed tenant, and the same group id under another tenant: never the old object.
    expect(rowToKey(row({ tenantName: "Acme Renamed" }), "aa").tenantName).toBe("Acme Renamed");
    expect(json(row({ tenantId: "cmtenant0000000000000002" })).tenantId).toBe("cmtenant0000000000000002");
    // Scopes changed alone (same names): the new scopes; a key read before keeps what it was read with.
    const before = rowToKey(row({ id: "k3" }), "aa");
    const after = rowToKey(row({ id: "k4", scopes: "api_keys:read" }), "aa");
    expect(JSON.parse(`{${describeJson(after)}}`).scopes).toEqual(["api_keys:read"]);
    expect(JSON.parse(`{${describeJson(before)}}`).scopes).toEqual(["api_keys:read", "api_keys:write"]);
    expect(before.scopes).toEqual(["api_keys:read", "api_keys:write"]);
  });
});
