import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";

// Behind a proxy the app itself is reached as localhost: the public address is APP_URL.
const APP_URL = "https://tickets.example.org";
let GET: (request: NextRequest, context: { params: Promise<Record<string, never>> }) => Promise<Response>;

beforeAll(async () => {
  process.env.APP_URL = APP_URL;
  // An https address is a production one, which needs the key every host shares.
  process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
  process.env.DATABASE_URL ??= "postgresql://localhost/unused";
  ({ GET } = await import("./route"));
});

const switchTo = (to: string, referer?: string) =>
  GET(
    new NextRequest(`http://localhost:3000/admin/language?to=${to}`, {
      headers: referer === undefined ? {} : { referer },
    }),
    { params: Promise.resolve({}) },
  );

describe("the back office's language switch", () => {
  it("sends people back to the page they were on at the public address, with the language cookie", async () => {
    const response = await switchTo("en", `${APP_URL}/admin/editions/paris/attendees?q=ada`);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${APP_URL}/admin/editions/paris/attendees?q=ada`);
    expect(response.headers.get("set-cookie")).toContain("NEXT_LOCALE=en");
  });

  it("goes to the back office's home for a malformed, foreign or missing Referer, never answering 500", async () => {
    for (const referer of [
      "not a url",
      "http://[::1",
      "https://evil.example/admin/users",
      `${APP_URL}/en/editions`,
      undefined,
    ]) {
      const response = await switchTo("fr", referer);
      expect([response.status, response.headers.get("location")], String(referer)).toEqual([303, `${APP_URL}/admin`]);
    }
  });
});
