import { describe, expect, it } from "vitest";
import { isIpAllowed, normalizeAllowlist, parseAllowlist, parseAllowlistEntry } from "./ip-allowlist";

describe("IP allowlist parsing", () => {
  it("accepts IPv4 and IPv6 addresses and CIDR ranges in canonical form", () => {
    expect(parseAllowlistEntry("10.0.0.1")?.canonical).toBe("10.0.0.1");
    expect(parseAllowlistEntry("10.0.0.0/8")?.canonical).toBe("10.0.0.0/8");
    expect(parseAllowlistEntry("10.1.2.3/8")?.canonical).toBe("10.0.0.0/8");
    expect(parseAllowlistEntry("2001:DB8:0:0::1")?.canonical).toBe("2001:db8::1");
    expect(parseAllowlistEntry("2001:db8::/32")?.canonical).toBe("2001:db8::/32");
    expect(parseAllowlistEntry("::1/128")?.canonical).toBe("::1");
    expect(parseAllowlistEntry("0.0.0.0/0")?.canonical).toBe("0.0.0.0/0");
  });

  it("treats IPv4-mapped IPv6 as the IPv4 address", () => {
    expect(parseAllowlistEntry("::ffff:192.0.2.7")?.canonical).toBe("192.0.2.7");
    expect(parseAllowlistEntry("::ffff:10.0.0.0/104")?.canonical).toBe("10.0.0.0/8");
  });

  it.each(["10.0.0.0/33", "300.1.1.1", "::1/129", "012.0.0.1", "127.1", "0x7f.0.0.1", "1.2.3.4/", "1.2.3.4/08", "abc", "1.2.3.4 5.6.7.8", "fe80::1%eth0", ":::"])(
    "rejects %s",
    (value) => {
      expect(parseAllowlistEntry(value)).toBeNull();
    },
  );

  it("reports each bad line by number and keeps the good ones", () => {
    const result = parseAllowlist("10.0.0.1\n\n300.1.1.1\n 2001:db8::/32 \n10.0.0.1");
    expect(result.entries).toEqual(["10.0.0.1", "2001:db8::/32"]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0].message).toBe('Line 3: "300.1.1.1" is not a valid IP address or CIDR range.');
  });

  it("normalizes to one canonical entry per line, empty for an empty list", () => {
    expect(normalizeAllowlist("  \n")).toBe("");
    expect(normalizeAllowlist("192.168.1.77/24\r\n::ffff:1.2.3.4")).toBe("192.168.1.0/24\n1.2.3.4");
  });
});

describe("IP allowlist matching", () => {
  const list = normalizeAllowlist("203.0.113.0/24\n2001:db8::/32\n198.51.100.7");

  it("allows any address when the list is empty", () => {
    expect(isIpAllowed("", "8.8.8.8")).toBe(true);
    expect(isIpAllowed("", null)).toBe(true);
  });

  it("allows addresses inside a range or equal to an entry", () => {
    expect(isIpAllowed(list, "203.0.113.200")).toBe(true);
    expect(isIpAllowed(list, "198.51.100.7")).toBe(true);
    expect(isIpAllowed(list, "2001:db8:1::5")).toBe(true);
    expect(isIpAllowed(list, "::ffff:203.0.113.9")).toBe(true);
  });

  it("refuses addresses outside, unparsable or missing", () => {
    expect(isIpAllowed(list, "203.0.114.1")).toBe(false);
    expect(isIpAllowed(list, "198.51.100.8")).toBe(false);
    expect(isIpAllowed(list, "2001:db9::1")).toBe(false);
    expect(isIpAllowed(list, "not-an-ip")).toBe(false);
    expect(isIpAllowed(list, null)).toBe(false);
  });
});
