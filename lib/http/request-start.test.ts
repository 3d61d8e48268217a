import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { captureLog } from "@/devtools/testing/log-capture";
import { metrics } from "@/lib/metrics/registry";
import { recordRequestStarts } from "./request-start";

let capture: ReturnType<typeof captureLog> | undefined;
afterEach(() => capture?.restore());

async function withServer(work: (url: string) => Promise<void>) {
  const server = createServer((request, response) => {
    response.statusCode = request.url?.startsWith("/missing") ? 404 : 200;
    response.end(String(request.headers["x-request-id"]));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await work(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const requestId = async (url: string, header?: string) => {
  const response = await fetch(url, { headers: header ? { "x-request-id": header } : {} });
  const seen = await response.text();
  expect(response.headers.get("x-request-id")).toBe(seen);
  return seen;
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("recordRequestStarts", () => {
  it("takes a trusted proxy's X-Request-Id when it looks like an id, and makes one up otherwise", async () => {
    recordRequestStarts({ trustedProxyHops: 1 });
    await withServer(async (url) => {
      expect(await requestId(url, "4f1c2b7e9a0d4c3b8e6f")).toBe("4f1c2b7e9a0d4c3b8e6f");
      expect(await requestId(url, "short")).toMatch(UUID);
      expect(await requestId(url, '"}{"level":60')).toMatch(UUID);
      expect(await requestId(url, "x".repeat(65))).toMatch(UUID);
      expect(await requestId(url)).toMatch(UUID);
    });
  });

  it("ignores the header when no proxy is trusted: a client could choose it", async () => {
    recordRequestStarts({ trustedProxyHops: 0 });
    await withServer(async (url) => {
      expect(await requestId(url, "4f1c2b7e9a0d4c3b8e6f")).toMatch(UUID);
    });
  });

  it("logs one access line per request with the route's pattern, never the path, and times it", async () => {
    recordRequestStarts({ trustedProxyHops: 0 });
    capture = captureLog();
    const token = "0W3nQyq1oqM4u2u3vF_0jLw-7yQH7lJf7m4bB2sE9Zg";
    const observed = async () =>
      (await metrics().httpDuration.get()).values.find(
        (value) =>
          value.metricName === "guichet_http_request_duration_seconds_count" &&
          value.labels.route === "/:locale/tickets/:token" &&
          value.labels.status === "2xx",
      )?.value ?? 0;
    const before = await observed();
    await withServer(async (url) => {
      const id = await requestId(`${url}/fr/tickets/${token}?download=1`);
      await requestId(`${url}/missing/${token}`);
      await requestId(`${url}/api/health`);
      const lines = capture!.lines().filter((line) => line.msg === "request");
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatchObject({ reqId: id, method: "GET", route: "/:locale/tickets/:token", status: 200 });
      expect(typeof lines[0].ms).toBe("number");
      expect(lines[1]).toMatchObject({ route: "other", status: 404, level: 30 });
      expect(lines[2]).toMatchObject({ route: "/api/health", level: 20 });
    });
    expect(capture.text()).not.toContain(token);
    expect(await observed()).toBe(before + 1);
  });
});
