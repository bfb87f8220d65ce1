import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { isIpAllowed, normalizeAllowlist } from "@/lib/api-keys/ip-allowlist";
import { config } from "@/lib/config";

/**
 * Where a connection Test may go. A Test makes Keyward connect to an address a tenant typed, so
 * without a bound it would let any admin probe the platform's own network (SSRF). The operator
 * names the networks in KEYWARD_CONNECTION_TEST_NETWORKS (CIDRs); unset, only public unicast
 * addresses are allowed (no loopback, private, link-local, metadata or reserved ranges). The
 * check is made on the addresses the host name resolves to, and the Test then connects to that
 * checked address itself, so a DNS answer that changes between check and connect (rebinding)
 * cannot slip through; HTTP redirects are checked again hop by hop (probe.ts).
 */
export class DestinationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DestinationRefused";
  }
}

function allowedBy(address: string): boolean {
  const networks = config().connectionTestNetworks;
  if (networks !== undefined) return isIpAllowed(normalizeAllowlist(networks.split(/[\s,]+/).join("\n")), address);
  const parsed = ipaddr.process(address);
  return parsed.range() === "unicast";
}

function describeNetworks(): string {
  const networks = config().connectionTestNetworks;
  return networks === undefined ? "public internet addresses only (KEYWARD_CONNECTION_TEST_NETWORKS is unset)" : `the networks ${networks}`;
}

/** The checked address to connect to for `host`, or DestinationRefused saying why not. */
export async function resolveAllowed(host: string): Promise<{ address: string; family: 4 | 6 }> {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(bare)) {
    addresses = [{ address: bare, family: bare.includes(":") ? 6 : 4 }];
  } else {
    try {
      addresses = await lookup(bare, { all: true, verbatim: true });
    } catch {
      throw new DestinationRefused(`The host ${bare} could not be resolved.`);
    }
  }
  // Every address the name resolves to must be allowed: otherwise a name with one public and
  // one internal address would pass the check and might connect to the internal one.
  const refused = addresses.find((a) => !allowedBy(a.address));
  if (refused || addresses.length === 0) {
    throw new DestinationRefused(
      `Tests may not reach ${bare}${refused && refused.address !== bare ? ` (${refused.address})` : ""}: the operator allows ${describeNetworks()}.`,
    );
  }
  const first = addresses[0];
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
