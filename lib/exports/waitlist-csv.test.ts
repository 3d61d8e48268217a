import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { testPerson } from "@/devtools/testing/vouchers";
import { addTestEntry } from "@/devtools/testing/waitlist";
import { placeOrder } from "@/lib/orders/register";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import { utcToZonedLocal } from "@/lib/time/zoned";
import { exportWaitingListCsv } from "./waitlist-csv";

const { db } = await useTestDatabase();

const csvOf = async (edition: { id: string; slug: string; timeZone: string }, locale: "fr" | "en") => {
  const file = await exportWaitingListCsv(db, { edition, locale });
  const [header, ...rows] = (await new Response(file.body).text())
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n");
  return { header, rows, filename: file.filename };
};

describe("the waiting list's CSV", () => {
  it("lists the entries by position with their offer and its expiry, formula-safe, in the language asked", async () => {
    const e = await createEdition(db, { capacity: 1, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
    const held = await placeOrder(db, {
      edition: e,
      buyer: testPerson("buyer"),
      tickets: [{ ticketType: e.ticketTypes[0], attendee: testPerson("a"), answers: {}, priceCents: 4900 }],
      locale: "en",
      holdExpiresAt: new Date(Date.now() + 35 * 60_000),
      now: new Date(),
    });
    if (!held.ok) throw new Error(JSON.stringify(held));
    const first = await addTestEntry(db, e, { name: "Ada Lovelace", locale: "fr" });
    const second = await addTestEntry(db, e, { name: '=HYPERLINK("http://x")', seats: 2, acceptsFewer: true });
    await db.order.update({ where: { id: held.order.id }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
    await expireLapsedHolds(db, null);
    const offer = await db.waitingListOffer.findFirstOrThrow({ where: { entryId: first.id } });
    const local = (date: Date) => utcToZonedLocal(date, e.timeZone).replace("T", " ");
    const type = e.ticketTypes[0].nameFr;

    const fr = await csvOf(e, "fr");
    expect(fr.header).toBe(
      "Rang,Nom,E-mail,Langue,Places,Accepte moins,Types de billet,Inscription,Statut,Offre,Fin de l’offre,Commande," +
        "Billets pris",
    );
    expect(fr.rows).toEqual([
      `${first.position},Ada Lovelace,${first.email},fr,1,non,${type},${local(first.joinedAt)},Offre en cours,` +
        `1 × ${type},${local(offer.expiresAt!)},,`,
      `${second.position},"'=HYPERLINK(""http://x"")",${second.email},en,2,oui,${type},${local(second.joinedAt)},` +
        "En attente,,,,",
    ]);
    expect(fr.filename).toBe(`${e.slug}-waiting-list.csv`);

    const en = await csvOf(e, "en");
    expect(en.header.split(",")).toHaveLength(13);
    expect(en.rows[1]).toContain(",yes,");
    expect(en.rows[1]).toContain(",Waiting,");
  });
});
