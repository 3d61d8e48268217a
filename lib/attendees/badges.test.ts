import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { pdfFontFacts } from "@/devtools/testing/pdf-text";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { attendeeBadges, badgesPdf, type Badge } from "./badges";
import { generateTicketSigningKey, ticketKeysFrom } from "@/lib/tickets/codes";

const { db } = await useTestDatabase();
const keys = ticketKeysFrom(generateTicketSigningKey());

async function* badges(count: number): AsyncGenerator<Badge> {
  for (let n = 1; n <= count; n++)
    yield {
      name: `Hélène Dupré ${n}`,
      company: "Société Générale des Tests",
      ticketType: "Standard",
      editionName: "Open Cloud Paris #12",
      code: `G1${"A".repeat(132)}${n}`,
    };
}

async function render(count: number, layout: "a6" | "labels") {
  const text = Buffer.from(await new Response(badgesPdf(badges(count), layout, "Badges")).arrayBuffer()).toString(
    "latin1",
  );
  // Each QR code is an image XObject that carries a soft mask (the PNG's alpha channel), itself an image.
  const masked = text.match(/\/SMask \d+ 0 R/g)?.length ?? 0;
  return {
    text,
    pages: text.match(/\/Type \/Page\b/g)?.length ?? 0,
    images: (text.match(/\/Subtype \/Image/g)?.length ?? 0) - masked,
  };
}

describe("badge sheets", () => {
  it("puts one badge per A6 page, each with its QR code", async () => {
    const pdf = await render(3, "a6");
    expect(pdf.text.startsWith("%PDF-")).toBe(true);
    expect(pdf.pages).toBe(3);
    expect(pdf.images).toBe(3);
    expect(pdf.text).toContain("/MediaBox [0 0 297.64 419.53]");
  });

  it("fills A4 sheets of 2 × 4 labels, starting a new sheet on the ninth", async () => {
    const pdf = await render(9, "labels");
    expect(pdf.pages).toBe(2);
    expect(pdf.images).toBe(9);
    expect(pdf.text).toContain("/MediaBox [0 0 595.28 841.89]");
  });

  it("draws only as fast as the download is read", async () => {
    let drawn = 0;
    async function* counted() {
      for await (const badge of badges(200)) {
        drawn += 1;
        yield badge;
      }
    }
    const reader = badgesPdf(counted(), "a6", "Badges").getReader();
    expect((await reader.read()).done).toBe(false);
    // The reader reads nothing more: the drawing stops (nothing drawn in a tenth of a second) well short of the end.
    let last = -1;
    while (drawn !== last && drawn < 300) {
      last = drawn;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(drawn).toBeLessThan(100);
    let bytes = 0;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength;
    expect(drawn).toBe(200);
    expect(bytes).toBeGreaterThan(200 * 1000);
  });

  it("still makes a (blank) document when the filter matches nobody", async () => {
    expect((await render(0, "labels")).pages).toBe(1);
  });

  it("print each attendee's ticket type in the language they registered in, and their name in full", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    await db.ticketType.updateMany({
      where: { editionId: edition.id },
      data: { nameFr: "Communauté", nameEn: "Community" },
    });
    for (const [locale, firstName] of [
      ["fr", "Юлия"],
      ["en", "Ελένη"],
    ] as const) {
      const request = attendeeRequest("free", randomUUID(), { locale });
      expect(
        (
          await registerAttendee(
            db,
            edition.slug,
            { ...request, attendee: { ...request.attendee, firstName } },
            { holdMinutes: 35 },
          )
        ).ok,
      ).toBe(true);
    }
    const made: Badge[] = [];
    for await (const badge of attendeeBadges(db, keys.privateKey, edition, {}, "fr")) made.push(badge);
    expect(made.map((badge) => [badge.name.split(" ")[0], badge.ticketType, badge.editionName]).sort()).toEqual([
      ["Ελένη", "Community", edition.nameEn],
      ["Юлия", "Communauté", edition.nameFr],
    ]);
    async function* again() {
      yield* made;
    }
    const facts = pdfFontFacts(Buffer.from(await new Response(badgesPdf(again(), "a6", "Badges")).arrayBuffer()));
    for (const character of "ЮлияΕλένηCommunautéLovelace")
      expect(facts.characters.has(character), character).toBe(true);
  });

  it("are in the list's reading order, for a selection of tickets too, and only for confirmed ones", async () => {
    const ticketTypes = [{ code: "free" }, { code: "paid", priceCents: 4900 }];
    const edition = await createEdition(db, { capacity: 10, ticketTypes });
    const ids: string[] = [];
    for (const [n, lastName] of ["Torvalds", "Łukasiewicz", "lovelace"].entries()) {
      const attendee = { firstName: "X", lastName, email: `order.${n}@example.org` };
      const request = { ...attendeeRequest("free", n), attendee };
      const result = await registerAttendee(db, edition.slug, request, { holdMinutes: 35 });
      if (!result.ok) throw new Error(result.reason);
      ids.push((await db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } })).id);
    }
    const held = await registerAttendee(db, edition.slug, attendeeRequest("paid", "held"), { holdMinutes: 35 });
    if (!held.ok) throw new Error(held.reason);
    const heldId = (await db.ticket.findFirstOrThrow({ where: { orderId: held.order.id } })).id;
    const names = async (filter: Parameters<typeof attendeeBadges>[3]) => {
      const seen: string[] = [];
      for await (const badge of attendeeBadges(db, keys.privateKey, edition, filter, "en")) seen.push(badge.name);
      return seen;
    };
    expect(await names({})).toEqual(["X lovelace", "X Łukasiewicz", "X Torvalds"]);
    expect(await names({ ticketIds: [ids[0], ids[1], heldId] })).toEqual(["X Łukasiewicz", "X Torvalds"]);
    const reversed = await names({ ticketIds: ids, sort: "name", dir: "desc" });
    expect(reversed).toEqual(["X Torvalds", "X Łukasiewicz", "X lovelace"]);
  });
});
