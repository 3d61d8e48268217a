import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as wait } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { captureLog } from "@/devtools/testing/log-capture";
import { recordRequestStarts } from "@/lib/http/request-start";
import { currentRequestId, withRequestId } from "./context";
import { log } from "./logger";

let capture: ReturnType<typeof captureLog> | undefined;
afterEach(() => capture?.restore());

describe("the request context", () => {
  it("reaches, from the request-start hook, code the handler awaits and the log lines it writes", async () => {
    recordRequestStarts({ trustedProxyHops: 0 });
    capture = captureLog();
    const server = createServer(async (_request, response) => {
      // Past a timer and a promise chain, as a handler past a database round trip.
      await wait(5);
      await Promise.resolve().then(() => log.info({ step: "after await" }, "handled"));
      response.end(currentRequestId() ?? "none");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const [first, second] = await Promise.all([fetch(url), fetch(url)]);
      const ids = [await first.text(), await second.text()];
      expect(ids.map((id) => /^[0-9a-f-]{36}$/.test(id))).toEqual([true, true]);
      expect(ids[0]).not.toBe(ids[1]);
      expect([first.headers.get("x-request-id"), second.headers.get("x-request-id")]).toEqual(ids);
      const handled = capture.lines().filter((line) => line.msg === "handled");
      expect(handled.map((line) => line.reqId).sort()).toEqual([...ids].sort());
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("is what withRequestId set, inside and only inside its work", async () => {
    expect(currentRequestId()).toBeUndefined();
    const inside = await withRequestId("job:42", async () => {
      await wait(1);
      return currentRequestId();
    });
    expect(inside).toBe("job:42");
    expect(currentRequestId()).toBeUndefined();
  });
});
