import { isIPv6 } from "node:net";

/**
 * The address of whoever sent a request, read from X-Forwarded-For as completed by
 * recordRequestStarts (the TCP peer is always its last entry). Each trusted proxy in front of the
 * app appends the address it received the request from, so with `trustedHops` proxies the client
 * is the entry `trustedHops` places from the right; everything further left was written by the
 * client and is ignored. Null when there is no such entry: callers then skip per-client limits
 * rather than put every unknown caller in one bucket that anyone could exhaust for everyone.
 */
export function clientAddressFrom(forwardedFor: string | null | undefined, trustedHops: number): string | null {
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "");
  const address = hops[hops.length - 1 - trustedHops];
  return address ? normaliseAddress(address) : null;
}

// One client, one key: "::ffff:192.0.2.1" and "192.0.2.1" are the same IPv4 client, and an IPv6
// client is its /64, since one subscriber or host is usually given a whole /64 to pick from.
function normaliseAddress(address: string): string {
  const lower = address.toLowerCase().replace(/%.*$/, "");
  const mappedIpv4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mappedIpv4) return mappedIpv4[1];
  if (isIPv6(lower) && !lower.includes(".")) return `${expandIpv6(lower).slice(0, 4).join(":")}::/64`;
  return lower;
}

function expandIpv6(address: string): string[] {
  const [head, tail] = address.split("::");
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const zeros = tail === undefined ? [] : Array<string>(8 - groups(head).length - groups(tail).length).fill("0");
  return [...groups(head), ...zeros, ...groups(tail)].map((group) => parseInt(group, 16).toString(16));
}
