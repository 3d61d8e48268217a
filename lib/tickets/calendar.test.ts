import { describe, expect, it } from "vitest";
import { buildIcs } from "./calendar";

describe("buildIcs", () => {
  it("writes a valid UTC event with escaped text and folded lines", () => {
    const ics = buildIcs({
      uid: "ticket-1@guichet",
      start: new Date("2027-05-20T07:00:00Z"),
      end: new Date("2027-05-20T16:30:00Z"),
      summary: "Open Cloud Paris #12",
      location: "Espace Charenton, 327 rue de Charenton; 75012 Paris",
      description: "Billet : Standard\nRéférence K7Q2-9XMD — ".repeat(3),
      url: "https://tickets.example.org/fr/orders/abc",
      now: new Date("2027-01-01T00:00:00Z"),
    });
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(ics).toContain("DTSTART:20270520T070000Z\r\n");
    expect(ics).toContain("DTEND:20270520T163000Z\r\n");
    expect(ics).toContain("LOCATION:Espace Charenton\\, 327 rue de Charenton\\; 75012 Paris\r\n");
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, "");
    expect(unfolded).toContain("DESCRIPTION:Billet : Standard\\nRéférence K7Q2-9XMD — ");
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
  });
});
