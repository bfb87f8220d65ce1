// The verified-key cache's bookkeeping: both hashes of a key in a rotation overlap are evicted
// together, and an expired entry leaves no back-reference behind (no growth with rotation).
import { beforeEach, describe, expect, it } from "vitest";
import { cacheGeneration, clearKeyCache, evictKey, getCachedKey, setCachedKey, type CachedKey } from "./key-cache";

const key = (id: string): CachedKey => ({
  id,
  tenantId: "t",
  tenantName: "T",
  name: id,
  prefix: "kw_00000000",
  secretPrefix: "kw_00000000",
  status: "active",
  expiresAt: null,
  ipAllowlist: "",
  groupId: "g",
  groupName: "G",
  scopes: [],
  previousValidUntil: null,
});
const backRefs = () => (globalThis as unknown as { keywardKeyCache: { hashesByKey: Map<string, unknown> } }).keywardKeyCache.hashesByKey;

describe("key cache", () => {
  beforeEach(() => clearKeyCache());

  it("evicts both secrets of a key at once", () => {
    setCachedKey("h-new", key("k1"), cacheGeneration());
    setCachedKey("h-old", key("k1"), cacheGeneration());
    setCachedKey("h-other", key("k2"), cacheGeneration());
    evictKey("k1");
    expect(getCachedKey("h-new")).toBeNull();
    expect(getCachedKey("h-old")).toBeNull();
    expect(getCachedKey("h-other")?.id).toBe("k2");
    expect(backRefs().has("k1")).toBe(false);
  });

  it("an expired entry leaves no back-reference", () => {
    const start = Date.now();
    setCachedKey("h1", key("k1"), cacheGeneration(), start);
    expect(getCachedKey("h1", start + 60 * 60_000)).toBeNull();
    expect(backRefs().has("k1")).toBe(false);
  });

  it("past its size bound drops the least recently used key and its back-reference", () => {
    const generation = cacheGeneration();
    setCachedKey("h-first", key("first"), generation);
    setCachedKey("h-second", key("second"), generation);
    for (let i = 0; i < 9_998; i++) setCachedKey(`h-${i}`, key(`k${i}`), generation);
    // 10,000 entries, the bound. Reading the first makes the second the least recently used.
    expect(getCachedKey("h-first")?.id).toBe("first");
    setCachedKey("h-overflow", key("overflow"), generation);
    expect(getCachedKey("h-second")).toBeNull();
    expect(backRefs().has("second")).toBe(false);
    expect(getCachedKey("h-first")?.id).toBe("first");
    expect(getCachedKey("h-overflow")?.id).toBe("overflow");
  });
});
