import ipaddr from "ipaddr.js";

/**
 * IP allowlists: one IPv4/IPv6 address or CIDR range per line, parsed by ipaddr.js.
 * Stored canonical (IPv4 dotted quad, IPv6 RFC 5952, ranges as their network address), one
 * per line; an empty list allows every address. IPv4-mapped IPv6 (::ffff:a.b.c.d) is
 * treated as the IPv4 address it carries, both in lists and in client addresses.
 */
export const MAX_ALLOWLIST_ENTRIES = 100;

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;
export type AllowlistEntry = { address: Parsed; bits: number; canonical: string };

function unmap(address: Parsed): Parsed {
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

/** Strict address parsing: ipaddr.js alone also accepts "127.1" and "0x7f.0.0.1". */
function parseAddress(text: string): Parsed | null {
  if (text.includes(":")) {
    if (!ipaddr.IPv6.isValid(text) || text.includes("%")) return null;
    return unmap(ipaddr.IPv6.parse(text));
  }
  // Four decimal octets, no leading zeros (012 is octal to some parsers and decimal to others).
  if (!/^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(text)) return null;
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return null;
  return ipaddr.IPv4.parse(text);
}

function toText(address: Parsed): string {
  return address.kind() === "ipv6" ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
}

/** The network address of `address/bits` (host bits cleared). */
function networkOf(address: Parsed, bits: number): Parsed {
  const bytes = address.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i] &= (0xff << (8 - keep)) & 0xff;
  }
  return ipaddr.fromByteArray(bytes);
}

export function parseAllowlistEntry(raw: string): AllowlistEntry | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > 64) return null;
  const slash = text.indexOf("/");
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const isMapped = addressText.includes(":") && addressText.includes(".");
  const address = parseAddress(addressText);
  if (!address) return null;
  const max = address.kind() === "ipv4" ? 32 : 128;
  let bits = max;
  if (slash !== -1) {
    const bitsText = text.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(bitsText)) return null;
    bits = Number(bitsText);
    // A mapped address written with an IPv6 prefix: ::ffff:10.0.0.0/104 is 10.0.0.0/8.
    if (isMapped && address.kind() === "ipv4") {
      if (bits < 96 || bits > 128) return null;
      bits -= 96;
    }
    if (bits > max) return null;
  }
  const network = networkOf(address, bits);
  const canonical = bits === max ? toText(network) : `${toText(network)}/${bits}`;
  return { address: network, bits, canonical };
}

export type AllowlistProblem = { line: number; value: string; message: string };

/** Splits the textarea into canonical entries, or says which lines are wrong. */
export function parseAllowlist(text: string): { entries: string[]; problems: AllowlistProblem[] } {
  const entries: string[] = [];
  const problems: AllowlistProblem[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const value = line.trim();
    if (!value) return;
    const entry = parseAllowlistEntry(value);
    if (!entry) {
      const shown = value.length > 60 ? value.slice(0, 57) + "..." : value;
      problems.push({
        line: index + 1,
        value: shown,
        message: `Line ${index + 1}: "${shown}" is not a valid IP address or CIDR range.`,
      });
    } else if (!entries.includes(entry.canonical)) {
      entries.push(entry.canonical);
    }
  });
  if (entries.length > MAX_ALLOWLIST_ENTRIES) {
    problems.push({ line: 0, value: "", message: `At most ${MAX_ALLOWLIST_ENTRIES} entries are allowed.` });
  }
  return { entries, problems };
}

/** Canonical form for storage: one entry per line; "" when the list is empty. */
export function normalizeAllowlist(text: string): string {
  return parseAllowlist(text).entries.join("\n");
}

/** True when the list is empty or one of its entries contains `clientIp`. */
export function isIpAllowed(allowlist: string, clientIp: string | null | undefined): boolean {
  const lines = allowlist.split("\n").filter(Boolean);
  if (lines.length === 0) return true;
  if (!clientIp) return false;
  const client = parseAddress(clientIp.trim());
  if (!client) return false;
  return lines.some((line) => {
    const entry = parseAllowlistEntry(line);
    return !!entry && entry.address.kind() === client.kind() && client.match(entry.address, entry.bits);
  });
}
