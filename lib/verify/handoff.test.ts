// The server's sealed hand-off of a verified key to Next.js: only this process's nonce opens
// it, and only for the scope it was verified for.
import { describe, expect, it } from "vitest";
import { openVerified, sealVerified } from "./handoff";
import type { CachedKey } from "../api-keys/key-cache";
import { rowToKey } from "./key-record";

const key: CachedKey = {
  id: "k1",
  tenantId: "t1",
  tenantName: "Acme",
  name: "n",
  prefix: "kw_12345678",
  secretPrefix: "kw_12345678",
  status: "active",
  expiresAt: new Date("2030-01-01T00:00:00.000Z"),
  ipAllowlist: "",
  groupId: "g1",
  groupName: "Full",
  scopes: ["api_keys:read", "api_keys:write"],
  previousValidUntil: null,
};

describe("sealed verification hand-off", () => {
  it("opens with the nonce and the same scope, and revives dates", () => {
    const sealed = sealVerified("nonce-1", key, "api_keys:write");
    expect(openVerified(sealed, "nonce-1", "api_keys:write")).toEqual(key);
  });
  it("refuses another nonce, no nonce, another scope, and garbage", () => {
    const sealed = sealVerified("nonce-1", key, "api_keys:read");
    expect(openVerified(sealed, "nonce-2", "api_keys:read")).toBeNull();
    expect(openVerified(sealed, undefined, "api_keys:read")).toBeNull();
    expect(openVerified(sealed, "nonce-1", "api_keys:write")).toBeNull();
    expect(openVerified(sealed, "nonce-1", null)).toBeNull();
    expect(openVerified("nonce-1 !!!", "nonce-1", "api_keys:read")).toBeNull();
    expect(openVerified(null, "nonce-1", null)).toBeNull();
  });
  const NO_LIMITS = {
    keyRateLimits: null,
    groupRateLimits: null,
    credits: null,
    creditsRefillAmount: null,
    creditsRefillInterval: null,
    creditsRefillDay: null,
    creditsRefilledAt: null,
    creditsVersion: 0,
  };
  it("seals a cached key whole, though its shared parts are getters", () => {
    const hash = "a".repeat(64);
    const cached = rowToKey(
      {
        ...key,
        expiresAt: "2030-01-01T00:00:00.000+00:00",
        previousHashExpiresAt: null,
        previousPrefix: null,
        hash,
        scopes: key.scopes.join(" "),
        ...NO_LIMITS,
      },
      hash,
    );
    expect(openVerified(sealVerified("nonce-1", cached, null), "nonce-1", null)).toEqual(key);
  });
});
