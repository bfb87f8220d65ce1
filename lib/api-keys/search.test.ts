import { describe, expect, it } from "vitest";
import { generateTaggedSecret } from "./key-format";
import { searchTerm } from "./search";

describe("searchTerm", () => {
  it("cuts a pasted whole key to its display prefix, so the secret never goes into a URL", () => {
    const secret = generateTaggedSecret("kw_");
    expect(searchTerm(` ${secret} `)).toBe(secret.slice(0, 11));
  });

  it("drops the ellipsis the list prints after a prefix", () => {
    expect(searchTerm("kw_AbCd1234…")).toBe("kw_AbCd1234");
    expect(searchTerm("kw_AbCd1234...")).toBe("kw_AbCd1234");
  });

  it("leaves names, partial prefixes and descriptions as they are", () => {
    expect(searchTerm("  ERP sync ")).toBe("ERP sync");
    expect(searchTerm("kw_AbCd")).toBe("kw_AbCd");
  });
});
