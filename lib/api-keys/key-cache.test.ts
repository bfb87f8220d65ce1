// The verified-key cache's bookkeeping: both hashes of a key in a rotation overlap are evicted
// together, and an expired, pushed-out or tenant-evicted entry leaves no back-reference behind
// (no growth with rotation or churn).
import { beforeEach, describe, expect, it } from "vitest";
import { KEY_CACHE_MAX_ENTRIES as MAX, cacheGeneration, clearKeyCache, evictKey, evictTenant, getCachedKey, setCachedKey, type CachedKey } from "./key-cache";

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
type Internals = { byHash: { size: number; entries(): Iterable<[string, CachedKey]> }; hashesByKey: Map<string, string | string[]> };
const internals = () => (globalThis as unknown as { keywardKeyCache: Internals }).keywardKeyCache;
const backRefs = () => internals().hashesByKey;

/** Every back-reference names a cached entry of its key, and every entry has one: nothing left behind. */
function expectBackRefsMatchEntries() {
  const { byHash, hashesByKey } = internals();
  const fromEntries = new Map<string, string[]>();
  for (const [hash, entry] of byHash.entries()) fromEntries.set(entry.id, [...(fromEntries.get(entry.id) ?? []), hash]);
  const fromBackRefs = new Map([...hashesByKey].map(([id, hashes]) => [id, typeof hashes === "string" ? [hashes] : hashes]));
  expect(fromBackRefs.size).toBe(fromEntries.size);
  for (const [id, hashes] of fromEntries) expect([...(fromBackRefs.get(id) ?? [])].sort(), id).toEqual(hashes.sort());
}

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

  it("keeps one back-reference per cached key when the size limit pushes old entries out", () => {
    // MAX entries at most: 2.5 x MAX keys, some with a second (overlap) secret, leave no more
    // back-references than entries, and none to an entry that is gone.
    for (let i = 0; i < MAX * 2.5; i++) {
      setCachedKey(`h${i}`, key(`k${i}`), cacheGeneration());
      if (i % 7 === 0) setCachedKey(`h${i}-old`, key(`k${i}`), cacheGeneration());
    }
    expect(internals().byHash.size).toBe(MAX);
    expect(backRefs().size).toBeLessThanOrEqual(MAX);
    expectBackRefsMatchEntries();
  });

  it("a tenant's eviction drops its keys' back-references with their entries", () => {
    setCachedKey("h1", key("k1"), cacheGeneration());
    setCachedKey("h2", { ...key("k2"), tenantId: "other" }, cacheGeneration());
    setCachedKey("h1-old", key("k1"), cacheGeneration());
    evictTenant("t");
    expect([...backRefs().keys()]).toEqual(["k2"]);
    expectBackRefsMatchEntries();
  });

  it("past its size bound drops the least recently used key and its back-reference", () => {
    const generation = cacheGeneration();
    setCachedKey("h-first", key("first"), generation);
    setCachedKey("h-second", key("second"), generation);
    for (let i = 0; i < MAX - 2; i++) setCachedKey(`h-${i}`, key(`k${i}`), generation);
    // MAX entries, the bound. Reading the first makes the second the least recently used.
    expect(getCachedKey("h-first")?.id).toBe("first");
    setCachedKey("h-overflow", key("overflow"), generation);
    expect(getCachedKey("h-second")).toBeNull();
    expect(backRefs().has("second")).toBe(false);
    expect(getCachedKey("h-first")?.id).toBe("first");
    expect(getCachedKey("h-overflow")?.id).toBe("overflow");
  });
});
