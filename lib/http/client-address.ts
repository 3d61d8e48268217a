/**
 * The address of whoever sent a request, read from X-Forwarded-For as completed by
 * recordPeerAddresses (the TCP peer is always its last entry). Each trusted proxy in front of the
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

// One client, one key: "::ffff:192.0.2.1" and "192.0.2.1" are the same IPv4 client.
function normaliseAddress(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");
}
