import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { captureLog } from "@/devtools/testing/log-capture";
import { EdgeRefusal, edgeRoute, readJsonBody } from "./edge";
import { problemBody } from "./problem";

const echo = edgeRoute<{ slug: string }>(async (request, { slug }) =>
  Response.json({ slug, body: await readJsonBody(request, 1024) }),
);
const call = (url: string, init: ConstructorParameters<typeof NextRequest>[1] = {}, slug = "paris") =>
  echo(new NextRequest(url, { method: "POST", headers: { "content-type": "application/json" }, ...init }), {
    params: Promise.resolve({ slug }),
  });
const answer = async (response: Response) => ({ status: response.status, body: await response.json() });
// Refusals are problem details: `type`, `title`, `status`, `code`, and `error` (= code) with the details.
const refusal = (status: number, code: string, details: Record<string, unknown> = {}) => ({
  status,
  body: problemBody(status, code, details),
});

describe("edgeRoute", () => {
  it("passes a well-formed request through", async () => {
    expect(
      await answer(await call("http://app.test/api/x/paris", { body: JSON.stringify({ name: "Łukasz" }) })),
    ).toEqual({ status: 200, body: { slug: "paris", body: { name: "Łukasz" } } });
  });

  it("refuses NUL and invalid UTF-8 in the path, the query and JSON strings with 400", async () => {
    expect(await answer(await call("http://app.test/api/x/a", {}, "a\u0000b"))).toEqual(
      refusal(400, "invalid_characters"),
    );
    expect((await call("http://app.test/api/x/%C0%AF", {}, "\ufffd")).status).toBe(400);
    expect((await call("http://app.test/api/x/paris?q=a%00b")).status).toBe(400);
    expect((await call("http://app.test/api/x/paris?q=%C0%AF")).status).toBe(400);
    expect((await call("http://app.test/api/x/paris?q=%E0%A4%A")).status).toBe(400);
    expect(await answer(await call("http://app.test/api/x/paris", { body: '{"name":"a\\u0000b"}' }))).toEqual(
      refusal(400, "invalid_characters"),
    );
    expect((await call("http://app.test/api/x/paris", { body: '{"a\\ud800":1}' })).status).toBe(400);
    expect(
      (
        await call("http://app.test/api/x/paris", {
          body: Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]),
        })
      ).status,
    ).toBe(400);
  });

  it("answers 400 to malformed JSON and 415 to another content type", async () => {
    expect(await answer(await call("http://app.test/api/x/paris", { body: "{nope" }))).toEqual(
      refusal(400, "invalid_json"),
    );
    expect(
      (await call("http://app.test/api/x/paris", { body: "{}", headers: { "content-type": "text/plain" } })).status,
    ).toBe(415);
  });

  it("refuses a body over the cap from its Content-Length, before reading it", async () => {
    let pulled = 0;
    const body = new ReadableStream({ pull: (controller) => void (pulled++, controller.enqueue(new Uint8Array(512))) });
    const response = await call("http://app.test/api/x/paris", {
      body,
      headers: { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) },
      duplex: "half",
    } as never);
    expect(await answer(response)).toEqual(refusal(413, "payload_too_large", { limitBytes: 1024 }));
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it("stops reading a body without a length as soon as it passes the cap", async () => {
    let pulled = 0;
    const body = new ReadableStream({ pull: (controller) => void (pulled++, controller.enqueue(new Uint8Array(512))) });
    const response = await call("http://app.test/api/x/paris", { body, duplex: "half" } as never);
    expect(response.status).toBe(413);
    // 1 KiB cap, 512-byte chunks: the third chunk passes it; a stream of gigabytes is never drained.
    expect(pulled).toBeLessThanOrEqual(4);
  });

  it("answers a handler's refusal in the one error format, an unexpected one with a logged, generic 500", async () => {
    const refusing = edgeRoute(async () => {
      throw new EdgeRefusal(409, "sold_out", { title: "Sold out" }, { "retry-after": "60" });
    });
    const refused = await refusing(new NextRequest("http://app.test/x"), { params: Promise.resolve({}) });
    const soldOut = {
      type: "urn:guichet:problem:sold_out",
      title: "Sold out",
      status: 409,
      code: "sold_out",
      error: "sold_out",
    };
    expect([refused.status, refused.headers.get("retry-after"), await refused.json()]).toEqual([409, "60", soldOut]);

    const logged = captureLog();
    const failing = edgeRoute(async () => {
      throw new Error('relation "Secret" does not exist at /srv/app/lib/db.ts:12');
    });
    const failed = await failing(
      new NextRequest("http://app.test/fr/orders/0W3nQyq1oqM4u2u3vF_0jLw-7yQH7lJf7m4bB2sE"),
      {
        params: Promise.resolve({}),
      },
    ).finally(logged.restore);
    expect(await answer(failed)).toEqual(refusal(500, "internal"));
    expect(logged.lines().filter((line) => line.level === 50)).toMatchObject([
      { route: "/:locale/orders/:token", err: { message: expect.stringContaining("Secret") } },
    ]);
  });
});
