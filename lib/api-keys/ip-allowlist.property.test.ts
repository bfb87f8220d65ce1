import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isIpAllowed, parseAllowlistEntry } from "./ip-allowlist";

// A reference implementation written independently of ipaddr.js: addresses as BigInt bit
// strings, ranges as (address & mask) === network.

function v4ToBig(text: string): bigint {
  return text.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBig(text: string): bigint {
  let groups: string[];
  const tail = text.includes(".") ? text.slice(text.lastIndexOf(":") + 1) : null;
  // An embedded IPv4 tail ("::ffff:1.2.3.4") stands for the last two groups.
  const head = tail ? text.slice(0, text.lastIndexOf(":") + 1) + "0:0" : text;
  if (head.includes("::")) {
    const [left, right] = head.split("::");
    const l = left ? left.split(":") : [];
    const r = right ? right.split(":") : [];
    groups = [...l, ...Array(8 - l.length - r.length).fill("0"), ...r];
  } else {
    groups = head.split(":");
  }
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || "0", 16)), 0n);
  if (tail) value = (value & ~0xffffffffn) | v4ToBig(tail);
  return value;
}

function refContains(network: bigint, bits: number, width: number, address: bigint): boolean {
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
  return (address & mask) === (network & mask);
}

const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."));
const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(":"));

describe("IP allowlist against a reference bitmask implementation", () => {
  it("agrees on random IPv4 ranges and addresses", () => {
    fc.assert(
      fc.property(v4, fc.integer({ min: 0, max: 32 }), v4, (net, bits, addr) => {
        const list = parseAllowlistEntry(`${net}/${bits}`)!.canonical;
        expect(isIpAllowed(list, addr)).toBe(refContains(v4ToBig(net), bits, 32, v4ToBig(addr)));
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees on addresses that share a prefix with the range (the interesting boundary)", () => {
    fc.assert(
      fc.property(v4, fc.integer({ min: 0, max: 32 }), fc.nat(0xffffffff), (net, bits, flip) => {
        const hostMask = (1n << BigInt(32 - bits)) - 1n;
        const base = v4ToBig(net) ^ (BigInt(flip) & hostMask);
        const addr = [24n, 16n, 8n, 0n].map((s) => Number((base >> s) & 255n)).join(".");
        const list = parseAllowlistEntry(`${net}/${bits}`)!.canonical;
        expect(isIpAllowed(list, addr)).toBe(refContains(v4ToBig(net), bits, 32, v4ToBig(addr)));
      }),
      { numRuns: 1000 },
    );
  });

  it("agrees on random IPv6 ranges and addresses", () => {
    fc.assert(
      fc.property(v6, fc.integer({ min: 0, max: 128 }), v6, fc.boolean(), (net, bits, other, near) => {
        // Half the time, the address is the network with some host bits changed.
        const addr = near ? net.split(":").slice(0, 4).concat(other.split(":").slice(4)).join(":") : other;
        const entry = parseAllowlistEntry(`${net}/${bits}`);
        // ::ffff:0:0/96 and longer prefixes are IPv4 ranges in disguise; the reference skips them.
        fc.pre(entry !== null && !entry.canonical.includes("."));
        const mapped = (v6ToBig(addr) >> 32n) === 0xffffn;
        fc.pre(!mapped);
        expect(isIpAllowed(entry!.canonical, addr)).toBe(refContains(v6ToBig(net), bits, 128, v6ToBig(addr)));
      }),
      { numRuns: 2000 },
    );
  });

  it("treats ::ffff:a.b.c.d exactly as a.b.c.d, in lists and in client addresses", () => {
    fc.assert(
      fc.property(v4, fc.integer({ min: 0, max: 32 }), v4, (net, bits, addr) => {
        const plain = parseAllowlistEntry(`${net}/${bits}`)!.canonical;
        const mapped = parseAllowlistEntry(`::ffff:${net}/${bits + 96}`)!.canonical;
        expect(mapped).toBe(plain);
        expect(isIpAllowed(plain, `::ffff:${addr}`)).toBe(isIpAllowed(plain, addr));
      }),
      { numRuns: 500 },
    );
  });

  it("rejects leading-zero octets and prefixes over 32/128", () => {
    fc.assert(
      fc.property(v4, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 99 }), (addr, index, zeros) => {
        const parts = addr.split(".");
        parts[index] = "0" + parts[index];
        expect(parseAllowlistEntry(parts.join("."))).toBeNull();
        expect(parseAllowlistEntry(`${addr}/${32 + zeros}`)).toBeNull();
      }),
    );
    fc.assert(
      fc.property(v6, fc.integer({ min: 129, max: 999 }), (addr, bits) => {
        expect(parseAllowlistEntry(`${addr}/${bits}`)).toBeNull();
      }),
    );
  });

  it("never throws on arbitrary strings, and accepts only what it can print back", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const entry = parseAllowlistEntry(text);
        if (entry) expect(parseAllowlistEntry(entry.canonical)?.canonical).toBe(entry.canonical);
        expect(() => isIpAllowed("10.0.0.0/8", text)).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });
});
