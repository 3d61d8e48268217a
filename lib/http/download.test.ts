import { describe, expect, it } from "vitest";
import { contentDisposition, download } from "./download";

describe("download", () => {
  it("is saved, never cached, and private for an attendee's own files", async () => {
    const file = download("a,b\r\n", { filename: "paris-attendees.csv", contentType: "text/csv; charset=utf-8" });
    expect(Object.fromEntries(file.headers)).toEqual({
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="paris-attendees.csv"',
      "cache-control": "no-store",
    });
    expect(await file.text()).toBe("a,b\r\n");
    const pdf = { filename: "ticket-K7Q2.pdf", contentType: "application/pdf", private: true };
    const ticket = download(new Uint8Array([37, 80]), pdf);
    expect(ticket.headers.get("cache-control")).toBe("private, no-store");
  });

  it("keeps quotes, slashes and line breaks out of the header, and gives a non-ASCII name whole as filename*", () => {
    expect(contentDisposition('a"b\r\nSet-Cookie: x/../y.pdf')).toBe(
      `attachment; filename="a_b_Set-Cookie_x_.._y.pdf"; filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x%2F..%2Fy.pdf`,
    );
    expect(contentDisposition("rentrée-€.ics")).toBe(
      `attachment; filename="rentree-_.ics"; filename*=UTF-8''rentr%C3%A9e-%E2%82%AC.ics`,
    );
    expect(contentDisposition("...")).toBe(`attachment; filename="download"; filename*=UTF-8''...`);
  });
});
