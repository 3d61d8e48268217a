import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createApiToken } from "@/lib/auth/api-tokens";
import { upsertUser } from "@/lib/auth/users";

const { db, url } = await useTestDatabase();
// The wrapper reaches the database through the app's `db()`: point it at this file's database.
process.env.DATABASE_URL = url;
const { anyone, apiRoute, exportToken, refusalOf, scanner } = await import("./api-route");

const findEdition = {
  find: (client: typeof db, slug: string) => client.edition.findFirst({ where: { slug, status: { not: "DRAFT" } } }),
};
type Init = ConstructorParameters<typeof NextRequest>[1];
const call = (route: ReturnType<typeof apiRoute>, path: string, init: Init = {}, params = {}) =>
  route(new NextRequest(`http://app.test${path}`, init), { params: Promise.resolve(params) });
const answer = async (response: Response) => ({
  status: response.status,
  type: response.headers.get("content-type"),
  body: await response.json(),
});

async function tokenFor(editionId: string | null, scope: "EXPORT" | "CHECKIN" = "EXPORT") {
  const owner = await upsertUser(db, { email: `owner.${crypto.randomUUID()}@example.org`, role: "ORGANISER" });
  const created = await createApiToken(db, owner, { name: "script", scope, editionId: editionId ?? "" });
  if (!created.ok || !created.token) throw new Error("no token");
  return { authorization: `Bearer ${created.token}` };
}

describe("apiRoute", () => {
  const attendees = apiRoute({ auth: exportToken, edition: findEdition }, async ({ edition, caller }) =>
    Response.json({ slug: edition.slug, tokenId: caller.tokenId }),
  );
  const get = (slug: string, headers: Record<string, string> = {}) => call(attendees, "/x", { headers }, { slug });

  it("answers who is asking before which edition, then whether this caller may act on it", async () => {
    const [mine, other] = [await createEdition(db, { capacity: 5 }), await createEdition(db, { capacity: 5 })];
    const draft = await createEdition(db, { capacity: 5, status: "DRAFT" });
    const stranger = await get("no-such-edition");
    expect(stranger.headers.get("www-authenticate")).toBe('Bearer realm="guichet"');
    expect(await answer(stranger)).toMatchObject({
      status: 401,
      type: "application/problem+json",
      body: { code: "unauthorized", error: "unauthorized" },
    });

    const everywhere = await tokenFor(null);
    expect(await answer(await get("no-such-edition", everywhere))).toMatchObject({
      status: 404,
      body: { type: "urn:guichet:problem:not_found", status: 404, code: "not_found", error: "not_found" },
    });
    expect((await get(draft.slug, everywhere)).status).toBe(404);
    const limited = await tokenFor(other.id);
    expect(await answer(await get(mine.slug, limited))).toMatchObject({ status: 403, body: { code: "forbidden" } });
    expect(await answer(await get(mine.slug, everywhere))).toMatchObject({
      status: 200,
      body: { slug: mine.slug, tokenId: expect.any(String) },
    });
  });

  it("caps the body first, keeps its schema from strangers, and answers a refused body with its issues", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const door = await tokenFor(edition.id, "CHECKIN");
    const scan = apiRoute(
      {
        auth: scanner,
        body: {
          maxBytes: 64,
          schema: z.object({ edition: z.string(), code: z.string() }),
          invalid: { code: "invalid_scan", title: "Invalid scan" },
        },
        edition: { ...findEdition, slugOf: (_params, body) => body.edition },
      },
      async ({ edition: found, caller, body }) =>
        Response.json({ edition: found.id, token: caller.apiTokenId, code: body.code }),
    );
    const post = (body: string, headers: Record<string, string> = {}) =>
      call(scan, "/api/v1/checkin", {
        method: "POST",
        body,
        headers: { "content-type": "application/json", ...headers },
      });

    expect(await answer(await post("x".repeat(65)))).toMatchObject({
      status: 413,
      body: { code: "payload_too_large", limitBytes: 64 },
    });
    // A session needs a request scope that a unit test has not: the stranger brings a token nobody issued.
    const stranger = { authorization: `Bearer gch_${"x".repeat(43)}` };
    expect(await answer(await post("{}", stranger))).toMatchObject({ status: 401, body: { code: "unauthorized" } });
    expect((await answer(await post("{}", stranger))).body).not.toHaveProperty("issues");
    expect(await answer(await post("{}", door))).toMatchObject({
      status: 400,
      body: { code: "invalid_scan", title: "Invalid scan", issues: expect.any(Array) },
    });
    expect((await post("{}", { ...door, "content-type": "text/plain" })).status).toBe(415);
    expect((await post(JSON.stringify({ edition: "nowhere", code: "G1" }), door)).status).toBe(404);
    expect(await answer(await post(JSON.stringify({ edition: edition.slug, code: "G1" }), door))).toMatchObject({
      status: 200,
      body: { edition: edition.id, token: expect.any(String), code: "G1" },
    });
  });

  it("maps a domain refusal to the status its route gives it, with its details", async () => {
    const STATUS = { sold_out: 409, rate_limited: 429 } as const;
    const route = apiRoute({ auth: anyone }, async () => {
      throw refusalOf(STATUS, "rate_limited", { retryAfterSeconds: 60 });
    });
    expect(await answer(await call(route, "/x"))).toEqual({
      status: 429,
      type: "application/problem+json",
      body: {
        type: "urn:guichet:problem:rate_limited",
        title: "Too Many Requests",
        status: 429,
        code: "rate_limited",
        error: "rate_limited",
        retryAfterSeconds: 60,
      },
    });
  });
});
