import { describe, expect, it } from "vitest";
import { OrderStatus, TicketStatus } from "@/lib/generated/prisma/enums";
import { ticketStanding } from "@/lib/tickets/standing";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { attendeeOf } from "./scan";

// The door's rules have SQL twins inside guichet_scan (migration 20261129120000): each must say what its
// TypeScript rule says, for every combination of what it reads.
const { db } = await useTestDatabase(2);

describe("the door's rules in SQL", () => {
  it("judge a ticket's standing as ticketStanding does, for every status, order status and code shown", async () => {
    const cases = Object.values(TicketStatus).flatMap((ticket) =>
      Object.values(OrderStatus).flatMap((order) =>
        [undefined, 3, 2].map((shown) => ({ ticket, order, codeVersion: 3, shown })),
      ),
    );
    const rows = await db.$queryRaw<{ standing: string }[]>`
      SELECT guichet_ticket_standing(c->>'ticket', c->>'order', (c->>'codeVersion')::integer,
                                     (c->>'shown')::integer) AS standing
        FROM jsonb_array_elements(${JSON.stringify(cases)}::jsonb) WITH ORDINALITY AS x(c, n) ORDER BY n`;
    const expected = cases.map((c) =>
      ticketStanding({ status: c.ticket, codeVersion: c.codeVersion }, { status: c.order }, c.shown),
    );
    expect(rows.map((row) => row.standing)).toEqual(expected);
    expect(new Set(expected)).toEqual(new Set(["valid", "cancelled", "refunded", "unpaid", "reissued"]));
  });

  it("name the attendee as attendeeOf does: named or not, with or without a company, the buyer's or not", async () => {
    const names = [
      { firstName: "Ada", lastName: "Lovelace" },
      { firstName: null, lastName: null },
    ];
    const cases = names.flatMap((name) =>
      [null, "", "Analytical"].flatMap((company) =>
        [null, "", "Acme"].map((buyerCompany) => ({
          ...name,
          company,
          order: { buyerFirstName: "Bea", buyerLastName: "Buyer", buyerCompany },
          ticketType: { nameFr: "Entrée", nameEn: "Entry" },
        })),
      ),
    );
    const rows = await db.$queryRaw<{ attendee: unknown }[]>`
      SELECT guichet_door_attendee(c->>'firstName', c->>'lastName', c->>'company', c->'order'->>'buyerFirstName',
                                   c->'order'->>'buyerLastName', c->'order'->>'buyerCompany',
                                   c->'ticketType'->>'nameFr', c->'ticketType'->>'nameEn') AS attendee
        FROM jsonb_array_elements(${JSON.stringify(cases)}::jsonb) WITH ORDINALITY AS x(c, n) ORDER BY n`;
    expect(rows.map((row) => row.attendee)).toEqual(
      cases.map((c) => attendeeOf(c as unknown as Parameters<typeof attendeeOf>[0])),
    );
  });
});
