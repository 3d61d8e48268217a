import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { previewRecipients } from "@/lib/messages/recipients";
import { registerAttendee } from "@/lib/orders/register";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { setTicketEmailLanguage } from "./email-language";

const { db } = await useTestDatabase(4);

const person = (tag: string) => ({ firstName: "Ada", lastName: tag, email: `${tag}.${randomUUID()}@example.org` });

describe("an attendee's email language", () => {
  it("is the order's until the attendee chooses theirs on their ticket page; the messages follow it", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const colleague = person("colleague");
    const placed = await registerAttendee(
      db,
      edition.slug,
      {
        buyer: person("buyer"),
        locale: "fr",
        tickets: [
          { ticketType: "free", attendee: colleague },
          { ticketType: "free", attendee: person("other") },
        ],
      },
      { holdMinutes: 35 },
    );
    if (!placed.ok) throw new Error(placed.reason);
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: placed.order.id, email: colleague.email } });
    const source = { editionId: edition.id, audience: "ATTENDEES" as const, filter: {}, essential: true };
    expect((await previewRecipients(db, source, new Date())).byLocale).toEqual({ fr: 2, en: 0 });

    expect(await setTicketEmailLanguage(db, ticket.accessToken!, "en")).toEqual({ ok: true, locale: "en" });
    expect((await previewRecipients(db, source, new Date())).byLocale).toEqual({ fr: 1, en: 1 });
    expect(await db.ticket.count({ where: { orderId: placed.order.id, locale: "en" } })).toBe(1);
  });

  it("refuses a language the app does not speak and a link that opens no ticket, changing nothing", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const placed = await registerAttendee(
      db,
      edition.slug,
      {
        buyer: person("b"),
        locale: "en",
        tickets: [
          { ticketType: "free", attendee: person("a") },
          { ticketType: "free", attendee: person("c") },
        ],
      },
      { holdMinutes: 35 },
    );
    if (!placed.ok) throw new Error(placed.reason);
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: placed.order.id, position: 1 } });
    for (const bad of ["de", "", null, ["fr"]]) {
      expect(await setTicketEmailLanguage(db, ticket.accessToken!, bad)).toEqual({ ok: false, reason: "invalid" });
    }
    for (const token of ["not-a-token", "A".repeat(43), placed.order.accessToken]) {
      expect(await setTicketEmailLanguage(db, token, "fr")).toEqual({ ok: false, reason: "not_found" });
    }
    expect(await db.ticket.count({ where: { orderId: placed.order.id, locale: { not: null } } })).toBe(0);
  });
});
