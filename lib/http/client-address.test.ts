import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { clientAddressFrom } from "./client-address";
import { recordRequestStarts } from "./request-start";

describe("clientAddressFrom", () => {
  it("with no trusted proxy, takes the last entry: the socket's, whatever the client wrote before it", () => {
    expect(clientAddressFrom("6.6.6.6, 203.0.113.7", 0)).toBe("203.0.113.7");
    expect(clientAddressFrom("203.0.113.7", 0)).toBe("203.0.113.7");
  });

  it("behind trusted proxies, takes the right-most entry they did not write, never the first", () => {
    // The client forged "6.6.6.6"; nginx appended the real client, the socket is nginx itself.
    expect(clientAddressFrom("6.6.6.6, 198.51.100.4, 10.0.0.2", 1)).toBe("198.51.100.4");
    expect(clientAddressFrom("6.6.6.6,198.51.100.4 ,10.0.0.3, 10.0.0.2", 2)).toBe("198.51.100.4");
  });

  it("is null when it cannot be told, and one key for both spellings of an IPv4 address", () => {
    expect(clientAddressFrom(null, 0)).toBeNull();
    expect(clientAddressFrom("", 0)).toBeNull();
    expect(clientAddressFrom("10.0.0.2", 1)).toBeNull();
    expect(clientAddressFrom("::ffff:127.0.0.1", 0)).toBe("127.0.0.1");
    expect(clientAddressFrom("::1", 0)).toBe("0:0:0:0::/64");
  });

  it("keys an IPv6 client by its /64, the block one subscriber picks addresses from", () => {
    expect(clientAddressFrom("2001:DB8:0:12::1", 0)).toBe("2001:db8:0:12::/64");
    expect(clientAddressFrom("2001:db8:0:12:ffff:1:2:3", 0)).toBe("2001:db8:0:12::/64");
    expect(clientAddressFrom("2001:db8::", 0)).toBe("2001:db8:0:0::/64");
    expect(clientAddressFrom("fe80::1%eth0", 0)).toBe("fe80:0:0:0::/64");
  });
});

describe("recordRequestStarts", () => {
  it("appends the socket's address to what the client sent, so the client cannot choose its key", async () => {
    recordRequestStarts({ trustedProxyHops: 0 });
    const server = createServer((request, response) =>
      response.end(clientAddressFrom(request.headers["x-forwarded-for"] as string, 0) ?? "none"),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      expect(await (await fetch(url, { headers: { "x-forwarded-for": "6.6.6.6" } })).text()).toBe("127.0.0.1");
      expect(await (await fetch(url)).text()).toBe("127.0.0.1");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
