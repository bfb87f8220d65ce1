import { describe, expect, it } from "vitest";
import { safeCallbackUrl, signInSchema } from "./schemas";

describe("safeCallbackUrl (return path after sign-in)", () => {
  it("keeps same-site relative paths, with their query", () => {
    for (const path of ["/tenant-api-keys", "/settings", "/tenant-api-keys?status=revoked&q=ERP", "/"]) {
      expect(safeCallbackUrl(path), path).toBe(path);
    }
  });

  it("falls back to the key list for anything else", () => {
    for (const value of [undefined, null, 42, ["/settings"], "", "settings", "https://evil.example/", "javascript:alert(1)"]) {
      expect(safeCallbackUrl(value), JSON.stringify(value)).toBe("/tenant-api-keys");
    }
  });

  it("rejects protocol-relative and backslash forms that browsers read as another host", () => {
    for (const value of ["//evil.example", "//evil.example/path", "/\\evil.example", "\\\\evil.example"]) {
      expect(safeCallbackUrl(value), JSON.stringify(value)).toBe("/tenant-api-keys");
    }
  });

  it("rejects paths with tabs, newlines or other control characters (browsers drop them: /<TAB>/host is //host)", () => {
    for (const value of ["/\t/evil.example/", "/\n/evil.example/", "/\r/evil.example/", "/\t\t/evil.example", "/\u0000/x"]) {
      const result = safeCallbackUrl(value);
      // Whatever is returned must not resolve to another origin once a browser parses it.
      expect(new URL(result, "http://localhost:3100").origin, JSON.stringify(value)).toBe("http://localhost:3100");
      expect(result, JSON.stringify(value)).toBe("/tenant-api-keys");
    }
  });

  it("uses the given fallback", () => {
    expect(safeCallbackUrl("//evil.example", "/settings")).toBe("/settings");
  });
});

describe("signInSchema", () => {
  it("accepts an email and a password, trimming the email", () => {
    expect(signInSchema.parse({ email: " owner@acme.test ", password: "keyward-demo" })).toEqual({
      email: "owner@acme.test",
      password: "keyward-demo",
    });
  });

  it("rejects missing, malformed and oversized input", () => {
    for (const input of [
      {},
      { email: "", password: "x" },
      { email: "not-an-email", password: "x" },
      { email: "owner@acme.test", password: "" },
      { email: "owner@acme.test", password: "x".repeat(1025) },
      { email: `${"a".repeat(320)}@acme.test`, password: "x" },
    ]) {
      expect(signInSchema.safeParse(input).success, JSON.stringify(input).slice(0, 80)).toBe(false);
    }
  });
});
