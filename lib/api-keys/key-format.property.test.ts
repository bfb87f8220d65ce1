import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KEY_LENGTH, generateApiKeySecret, isWellFormedApiKey } from "./key-format";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe("key parser against mutated keys", () => {
  const key = generateApiKeySecret();

  it("rejects every key with one character changed", () => {
    fc.assert(
      fc.property(fc.nat(KEY_LENGTH - 1), fc.constantFrom(...BASE62, "_", "-", " ", "é"), (index, ch) => {
        fc.pre(key[index] !== ch);
        expect(isWellFormedApiKey(key.slice(0, index) + ch + key.slice(index + 1))).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it("rejects truncated, extended and re-tagged keys", () => {
    fc.assert(
      fc.property(fc.nat(KEY_LENGTH - 1), fc.string({ minLength: 1, maxLength: 10 }), fc.stringMatching(/^[a-z]{1,4}_$/), (cut, extra, tag) => {
        expect(isWellFormedApiKey(key.slice(0, cut))).toBe(false);
        expect(isWellFormedApiKey(key + extra)).toBe(false);
        fc.pre(tag !== "kw_");
        expect(isWellFormedApiKey(tag + key.slice(3))).toBe(false);
      }),
    );
  });

  it("rejects two swapped neighbouring characters (a common typo) unless they are equal", () => {
    for (let i = 3; i < KEY_LENGTH - 1; i++) {
      if (key[i] === key[i + 1]) continue;
      const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
      expect(isWellFormedApiKey(swapped), `swap at ${i}`).toBe(false);
    }
  });

  it("never throws on arbitrary input, and accepts none of it", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(isWellFormedApiKey(value)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
