import { request as httpRequest } from "node:http";
import { expect, test, uniqueEmail } from "./support/database";
import { startSecondInstance } from "./support/second-instance";
import { problemOf } from "./support/problem";

// A second instance of the build with small per-client limits, called from its own loopback
// address (127.0.0.77), so the other specs' registrations do not count against it.
let instance: Awaited<ReturnType<typeof startSecondInstance>>;

test.beforeAll(async () => {
  instance = await startSecondInstance({
    REGISTRATION_CHALLENGE: "off",
    REGISTRATIONS_PER_CLIENT_PER_HOUR: "3",
    UNPAID_HOLDS_PER_CLIENT: "1",
    TRUSTED_PROXY_HOPS: "0",
  });
});

test.afterAll(() => {
  instance?.stop();
});

function post(pathname: string, body: unknown, forwardedFor: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: "127.0.0.1", port: instance.port, path: pathname, method: "POST", localAddress: "127.0.0.77" },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    outgoing.setHeader("content-type", "application/json");
    outgoing.setHeader("x-forwarded-for", forwardedFor);
    outgoing.on("error", reject);
    outgoing.end(JSON.stringify(body));
  });
}

test("one client's holds and registrations are capped, whatever X-Forwarded-For says", async ({ newEdition }) => {
  const edition = await newEdition({
    capacity: 50,
    ticketTypes: [{ code: "paid", priceCents: 4900 }, { code: "free" }],
  });
  const url = `/api/v1/editions/${edition.slug}/registrations`;
  const register = (ticketType: string, forged: string) =>
    post(
      url,
      { ticketType, attendee: { firstName: "Bot", lastName: "Net", email: uniqueEmail("limits") }, locale: "en" },
      forged,
    );

  // Each request claims to come from somewhere else; the app keys it on the socket's address.
  expect((await register("paid", "203.0.113.1")).status).toBe(201);
  const secondHold = await register("paid", "203.0.113.2");
  expect([secondHold.status, JSON.parse(secondHold.body)]).toEqual([429, problemOf(429, "too_many_unpaid_holds")]);
  expect((await register("free", "203.0.113.3")).status).toBe(201);
  const fourth = await register("free", "203.0.113.4");
  expect([fourth.status, JSON.parse(fourth.body)]).toEqual([429, problemOf(429, "rate_limited")]);
});
