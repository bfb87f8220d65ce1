import { describe, expect, it } from "vitest";
import {
  KEY_LENGTH,
  KEY_RANDOM_LENGTH,
  KEY_TAG,
  displayPrefix,
  generateApiKeySecret,
  hashApiKey,
  isWellFormedApiKey,
} from "./key-format";

const SECRET = "x".repeat(48);

describe("API key format", () => {
  it("has the type tag, the expected length and base62 characters only", () => {
    const key = generateApiKeySecret();
    expect(key.startsWith(KEY_TAG)).toBe(true);
    expect(key).toHaveLength(KEY_LENGTH);
    expect(key.slice(KEY_TAG.length)).toMatch(/^[0-9A-Za-z]+$/);
  });

  it("carries at least 128 bits of randomness", () => {
    expect(KEY_RANDOM_LENGTH * Math.log2(62)).toBeGreaterThanOrEqual(128);
    // Secret part left after the display prefix is shown must still exceed 128 bits.
    expect((KEY_RANDOM_LENGTH - 8) * Math.log2(62)).toBeGreaterThanOrEqual(128);
  });

  it("never repeats and spreads characters evenly across the alphabet", () => {
    const keys = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const key = generateApiKeySecret();
      keys.add(key);
      for (const ch of key.slice(KEY_TAG.length, KEY_TAG.length + KEY_RANDOM_LENGTH)) {
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
      }
    }
    expect(keys.size).toBe(2000);
    expect(counts.size).toBe(62);
    const expected = (2000 * KEY_RANDOM_LENGTH) / 62;
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(expected * 0.8);
      expect(count).toBeLessThan(expected * 1.2);
    }
  });

  it("accepts its own keys and rejects any single changed character", () => {
    const key = generateApiKeySecret();
    expect(isWellFormedApiKey(key)).toBe(true);
    for (let i = 0; i < key.length; i++) {
      const replacement = key[i] === "A" ? "B" : "A";
      const mutated = key.slice(0, i) + replacement + key.slice(i + 1);
      expect(isWellFormedApiKey(mutated), `position ${i}`).toBe(false);
    }
  });

  it("rejects truncated, extended, re-tagged and non-string input", () => {
    const key = generateApiKeySecret();
    for (const bad of [key.slice(0, -1), key + "A", "gh_" + key.slice(3), "", " " + key, key.toUpperCase(), null, 42]) {
      expect(isWellFormedApiKey(bad)).toBe(false);
    }
  });

  it("shows only the tag and the first random characters as the display prefix", () => {
    const key = generateApiKeySecret();
    const prefix = displayPrefix(key);
    expect(prefix).toBe(key.slice(0, KEY_TAG.length + 8));
    expect(key.length - prefix.length).toBeGreaterThanOrEqual(30);
  });
});

describe("API key hashing", () => {
  it("is a keyed HMAC-SHA-256: deterministic per key, different under another server secret", () => {
    const key = generateApiKeySecret();
    const hash = hashApiKey(key, SECRET);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key, SECRET)).toBe(hash);
    expect(hashApiKey(key, "y".repeat(48))).not.toBe(hash);
    expect(hash).not.toContain(key.slice(KEY_TAG.length));
  });

  it("refuses to hash without a server secret of at least 32 characters", () => {
    const saved = process.env.KEYWARD_HASH_SECRET;
    process.env.KEYWARD_HASH_SECRET = "short";
    try {
      expect(() => hashApiKey(generateApiKeySecret())).toThrow(/KEYWARD_HASH_SECRET/);
    } finally {
      process.env.KEYWARD_HASH_SECRET = saved;
    }
  });
});
