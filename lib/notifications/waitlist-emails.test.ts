import type { ParsedMail } from "mailparser";
import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useDirectDelivery } from "@/devtools/testing/email-worker";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry } from "@/devtools/testing/waitlist";
import { lockEdition } from "@/lib/capacity/seats";
import { enqueueEmail } from "@/lib/email/outbox";
import { registerAttendee } from "@/lib/orders/register";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import { saveTemplate } from "@/lib/templates/overrides";
import { deliverOutboxEmail } from "./deliver";

const { db } = await useTestDatabase();
const raw = new Map<string, string>();
// Each message's header block as sent, long lines unfolded.
const { smtp, deps } = await useDirectDelivery(db, (message, parsed) =>
  raw.set(parsed.messageId ?? "", message.toString("utf8").replaceAll(/\r\n[ \t]+/g, " ")),
);

/** A sold-out edition (one paid seat, held) and an entry waiting for it. */
async function soldOut(locale: "fr" | "en") {
  const edition = await createEdition(db, { capacity: 1, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  const held = await registerAttendee(db, edition.slug, { ...holder(), locale }, { holdMinutes: 35 });
  if (!held.ok) throw new Error(held.reason);
  const entry = await addTestEntry(db, edition, { locale, name: "Grace Hopper" });
  return { edition, held: held.order, entry };
}
let holders = 0;
const holder = () => ({
  ticketType: "standard",
  attendee: { firstName: "Ada", lastName: "Lovelace", email: `holder-${++holders}-${Date.now()}@example.org` },
});

/** The hold runs out and is released: the seat is offered to the entry, its email queued in the same change. */
async function offerSeat(orderId: string) {
  await db.$executeRaw`UPDATE "Order" SET "holdExpiresAt" = clock_timestamp() - interval '1 second'
    WHERE id = ${orderId}::uuid`;
  await expireLapsedHolds(db, null);
}

const closeOffer = (editionId: string, entryId: string, status: "LAPSED" | "DECLINED") =>
  db.$transaction(async (tx) => {
    await lockEdition(tx, editionId);
    await tx.$queryRaw`SELECT guichet_waitlist_close_offer(o.id, ${status}::"WaitingListOfferStatus")
      FROM "WaitingListOffer" o WHERE o."entryId" = ${entryId}::uuid AND o.status = 'OFFERED'`;
  });

async function send(toAddress: string, kind: string): Promise<string> {
  const email = await db.emailOutbox.findFirstOrThrow({ where: { toAddress, kind } });
  return deliverOutboxEmail(deps, email.id);
}

const received = (address: string): ParsedMail =>
  smtp.messages.findLast((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === address)!;

describe("the waiting list's emails", () => {
  it("offer: seats, type, price, deadline in the edition's zone, the register link and a one-click leave", async () => {
    const { edition, held, entry } = await soldOut("fr");
    await offerSeat(held.id);
    expect(await send(entry.email, "waitlist_offer")).toBe("sent");
    const mail = received(entry.email);
    // One subject for one seat or several, and no elision to guess before the edition's name ("de Open Cloud").
    expect(mail.subject).toBe(
      `${edition.nameFr}\u00a0: une offre d’inscription vous est réservée jusqu’au ${deadlineIn(mail)}`,
    );
    expect(textOf(mail)).toContain("Bonjour Grace Hopper,");
    expect(textOf(mail)).toContain("1 place pour");
    expect(textOf(mail)).toContain("(standard, 49,00\u00a0€) vous est réservée");
    expect(textOf(mail)).toContain("Vous n’en voulez pas\u00a0? Dites-le sur votre page, elle ira");
    expect(textOf(mail)).toContain(`http://app.test/fr/editions/${edition.slug}/register?offer=${entry.token}`);
    expect(textOf(mail)).toContain(`http://app.test/fr/waiting-list/${entry.token}`);
    const headers = raw.get(mail.messageId ?? "")!;
    expect(headers).toContain(`List-Unsubscribe: <http://app.test/api/v1/waiting-list/${entry.token}/leave>`);
    expect(headers).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  });

  it("offer: the edition's own wording in its language, on the layout, with the fixed block kept", async () => {
    const { edition, held, entry } = await soldOut("fr");
    const actor = await createOrganiser(db);
    const saved = await saveTemplate(db, actor, edition.id, "waitlist_offer", "fr", {
      subject: "{{ first_name }}, {{ offer_seats }} place pour vous",
      body: "Salut **{{ first_name }}**, réponds avant le {{ offer_deadline }} : [je m’inscris]({{ offer_url }})",
    });
    expect(saved).toEqual({ ok: true, changed: true });
    await offerSeat(held.id);
    expect(await send(entry.email, "waitlist_offer")).toBe("sent");
    const mail = received(entry.email);
    const register = `http://app.test/fr/editions/${edition.slug}/register?offer=${entry.token}`;
    expect(mail.subject).toBe("Grace Hopper, 1 place pour vous");
    expect(mail.html).toContain(`Salut <strong>Grace Hopper</strong>, réponds avant le ${deadlineIn(mail)}`);
    expect(mail.html).toContain(`<a href="${register}"`);
    expect(mail.html).toContain('<table role="presentation"');
    expect(textOf(mail)).toContain(`je m’inscris [${register}]`);
    expect(textOf(mail)).toContain("(standard, 49,00\u00a0€) vous est réservée");
    expect(textOf(mail)).not.toContain("Bonjour Grace Hopper");
  });

  it("a group's offer gives the total, and says that taking fewer seats than asked ends the wait", async () => {
    const edition = await createEdition(db, { capacity: 2, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
    const held = await registerAttendee(
      db,
      edition.slug,
      { buyer: holder().attendee, tickets: [holder(), holder()], locale: "en" },
      { holdMinutes: 35 },
    );
    if (!held.ok) throw new Error(held.reason);
    const entry = await addTestEntry(db, edition, { seats: 3, acceptsFewer: true, name: "Grace Hopper" });
    await offerSeat(held.order.id);
    expect(await send(entry.email, "waitlist_offer")).toBe("sent");
    const mail = received(entry.email);
    expect(mail.subject).toMatch(new RegExp(`^${edition.nameEn}: a registration offer is held for you until `));
    expect(textOf(mail)).toContain("2 seats for");
    expect(textOf(mail)).toContain("(standard, €49.00 each, €98.00 in all) are held for you");
    expect(textOf(mail)).toContain("You asked for 3 seats: registering for these 2 ends your wait");
    expect(textOf(mail)).toContain("Don’t want them? Say so on your page, and they go");
  });

  it("an offer declined before its email left is not sent; the lapse notice of a lapsed one is", async () => {
    const declined = await soldOut("en");
    await offerSeat(declined.held.id);
    await closeOffer(declined.edition.id, declined.entry.id, "DECLINED");
    expect(await send(declined.entry.email, "waitlist_offer")).toBe("superseded");

    const lapsed = await soldOut("en");
    await offerSeat(lapsed.held.id);
    await closeOffer(lapsed.edition.id, lapsed.entry.id, "LAPSED");
    expect(await send(lapsed.entry.email, "waitlist_offer")).toBe("superseded");
    expect(await send(lapsed.entry.email, "waitlist_offer_lapsed")).toBe("sent");
    const mail = received(lapsed.entry.email);
    expect(mail.subject).toBe(`Your offer for ${lapsed.edition.nameEn} has lapsed`);
    expect(textOf(mail)).toContain(`http://app.test/en/waiting-list/${lapsed.entry.token}`);
  });

  it("the confirmation of a join gives the place in line, and says nothing once the entry has closed", async () => {
    const { edition, held, entry } = await soldOut("en");
    const second = await addTestEntry(db, edition, { seats: 2 });
    const queueJoined = (target: { id: string; email: string }) =>
      db.$transaction((tx) =>
        enqueueEmail(tx, {
          dedupeKey: `waitlist_joined:${target.id}:test`,
          kind: "waitlist_joined",
          toAddress: target.email,
          locale: "en",
          payload: { entryId: target.id },
        }),
      );
    await queueJoined(second);
    expect(await send(second.email, "waitlist_joined")).toBe("sent");
    expect(textOf(received(second.email))).toContain("for 2 seats. Your place in line: 2.");

    await offerSeat(held.id);
    await closeOffer(edition.id, entry.id, "DECLINED");
    await queueJoined(entry);
    expect(await send(entry.email, "waitlist_joined")).toBe("superseded");
  });

  it('names the edition in French without an elision to guess (never "de Open Cloud")', async () => {
    const { edition } = await soldOut("fr");
    const entry = await addTestEntry(db, edition, { locale: "fr" });
    await db.$transaction((tx) =>
      enqueueEmail(tx, {
        dedupeKey: `waitlist_joined:${entry.id}:test`,
        kind: "waitlist_joined",
        toAddress: entry.email,
        locale: "fr",
        payload: { entryId: entry.id },
      }),
    );
    expect(await send(entry.email, "waitlist_joined")).toBe("sent");
    const mail = received(entry.email);
    expect(mail.subject).toBe(`Vous êtes sur la liste d’attente pour ${edition.nameFr}`);
    expect(textOf(mail)).toContain(
      `Vous êtes sur la liste d’attente pour ${edition.nameFr}, avec une demande de 1 place.`,
    );
    expect(textOf(mail)).toContain(`rejoint la liste d’attente pour ${edition.nameFr} sur Guichet.`);
    expect(textOf(mail)).not.toMatch(/ de [AÉEIOU]/);
  });
});

// The deadline as the body states it, read back to check the subject states the same one.
// The text part wraps at 78 columns: sentences are read across its line breaks.
const textOf = (mail: ParsedMail) => (mail.text ?? "").replace(/ ?\n/g, " ");
const deadlineIn = (mail: ParsedMail) => /vous est réservée jusqu’au (.+?)\. /.exec(textOf(mail))![1];
