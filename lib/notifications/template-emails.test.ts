import { randomUUID } from "node:crypto";
import type { ParsedMail } from "mailparser";
import { describe, expect, it } from "vitest";
import { attendeeRequest, createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useDirectDelivery } from "@/devtools/testing/email-worker";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { enqueueRefundEmail, enqueueTicketEmail, enqueueTicketStatusEmail } from "@/lib/email/outbox";
import { registerAttendee } from "@/lib/orders/register";
import { saveTemplate } from "@/lib/templates/overrides";
import type { TemplateKind } from "@/lib/templates/placeholders";
import { cancelFreeRegistration } from "@/lib/tickets/self-service";
import { importSpeakers } from "@/lib/vouchers/speakers";
import { deliverOutboxEmail } from "./deliver";

const { db } = await useTestDatabase();
const { smtp, deps } = await useDirectDelivery(db);
const actor = await createOrganiser(db);
const NBSP = "\u00a0";

type Edition = Awaited<ReturnType<typeof createEdition>>;

/** A French and an English solo registration (free, so confirmed at once) in a new edition. */
async function twoRegistrations() {
  const edition = await createEdition(db, { capacity: 10 });
  const register = async (locale: "fr" | "en") => {
    const result = await registerAttendee(db, edition.slug, attendeeRequest("free", randomUUID(), { locale }), {
      holdMinutes: 35,
    });
    if (!result.ok) throw new Error(result.reason);
    return db.order.findUniqueOrThrow({ where: { id: result.order.id }, include: { tickets: true } });
  };
  return { edition, fr: await register("fr"), en: await register("en") };
}

/** The edition's French wording of a kind: a subject and a message with the kind's placeholders. */
async function customiseFrench(edition: Edition, kind: TemplateKind, subject: string, body: string) {
  expect(await saveTemplate(db, actor, edition.id, kind, "fr", { subject, body })).toEqual({ ok: true, changed: true });
}

/** Sends the outbox's email of this kind to this address, then reads it as the SMTP server received it. */
async function sent(toAddress: string, kind: string): Promise<ParsedMail> {
  const email = await db.emailOutbox.findFirstOrThrow({ where: { toAddress, kind }, orderBy: { queuedAt: "desc" } });
  expect(await deliverOutboxEmail(deps, email.id)).toBe("sent");
  return smtp.messages.findLast((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === toAddress)!;
}

// html-to-text wraps at 78 columns: sentences are compared with their line breaks as spaces.
const textOf = (mail: ParsedMail) => (mail.text ?? "").replace(/[ \r\n]+/g, " ");

describe("the edition's wording of an email, in French, while English keeps the default", () => {
  it("order confirmation: the organisers' subject and message, then tickets, reference and link", async () => {
    const { edition, fr, en } = await twoRegistrations();
    await customiseFrench(
      edition,
      "order_confirmation",
      "{{ first_name }}, c’est confirmé ({{ order_reference }})",
      "Merci **{{ first_name }}** ! Le plan : [ici]({{ map_url }}).",
    );
    const french = await sent(fr.buyerEmail, "order_confirmation");
    expect(french.subject).toBe(`Ada, c’est confirmé (${fr.reference})`);
    expect(french.html).toContain("Merci <strong>Ada</strong>");
    expect(french.html).toContain(`cid:qr-${fr.tickets[0].id}@guichet`);
    expect(textOf(french)).toContain(`Référence de commande : ${fr.reference}`);
    expect(textOf(french)).toContain(`http://app.test/fr/orders/${fr.accessToken}`);
    expect(textOf(french)).not.toContain("Bonjour Ada");

    const english = await sent(en.buyerEmail, "order_confirmation");
    expect(english.subject).toBe(`Your ticket for ${edition.nameEn}`);
    expect(textOf(english)).toContain("Hello Ada,");
    expect(textOf(english)).toContain(`Order reference: ${en.reference}`);
  });

  it("an attendee's own ticket: the organisers' words with the ticket's own link, not the order's", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const group = async (locale: "fr" | "en") => {
      const buyer = attendeeRequest("free", randomUUID()).attendee;
      const tickets = [0, 1].map(() => attendeeRequest("free", randomUUID()));
      const result = await registerAttendee(db, edition.slug, { buyer, tickets, locale }, { holdMinutes: 35 });
      if (!result.ok) throw new Error(result.reason);
      const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: result.order.id, position: 2 } });
      await db.$transaction((tx) => enqueueTicketEmail(tx, ticket.id, { dedupeKey: `test:${ticket.id}` }));
      return db.ticket.findUniqueOrThrow({ where: { id: ticket.id }, include: { order: true } });
    };
    await customiseFrench(
      edition,
      "ticket_issued",
      "Ton billet {{ ticket_type }} pour {{ edition_name }}",
      "Salut {{ full_name }}, [ton billet]({{ ticket_url }}).",
    );
    const fr = await group("fr");
    const french = await sent(fr.email!, "ticket_issued");
    expect(french.subject).toBe(`Ton billet free pour ${edition.nameFr}`);
    const own = `http://app.test/fr/tickets/${fr.accessToken}`;
    expect(french.html).toContain(`Salut ${fr.firstName} ${fr.lastName}, <a href="${own}"`);
    expect(textOf(french)).not.toContain(fr.order.accessToken);

    const en = await group("en");
    const english = await sent(en.email!, "ticket_issued");
    expect(english.subject).toBe(`Your ticket for ${edition.nameEn}`);
    expect(textOf(english)).toContain(`Hello ${en.firstName},`);
  });

  it("cancellation: the organisers' subject and message, and the app's sentence kept", async () => {
    const { edition, fr, en } = await twoRegistrations();
    await customiseFrench(
      edition,
      "order_cancelled",
      "Annulation de {{ order_reference }}",
      "Dommage, {{ first_name }}. Écrivez-nous : [contact](mailto:contact@example.org)",
    );
    expect(await cancelFreeRegistration(db, fr.accessToken)).toEqual({ ok: true });
    expect(await cancelFreeRegistration(db, en.accessToken)).toEqual({ ok: true });
    const french = await sent(fr.buyerEmail, "order_cancelled");
    expect(french.subject).toBe(`Annulation de ${fr.reference}`);
    expect(textOf(french)).toContain("Dommage, Ada. Écrivez-nous : contact [contact@example.org]");
    expect(textOf(french)).toContain(`Comme vous l’avez demandé, votre inscription à ${edition.nameFr}`);
    expect(french.html).toContain('<table role="presentation"');

    const english = await sent(en.buyerEmail, "order_cancelled");
    expect(english.subject).toBe(`Your registration for ${edition.nameEn} is cancelled`);
    expect(textOf(english)).toContain("Hello Ada, As you asked, your registration for");
  });

  it("refund: the organisers' subject for the order, the app's for one ticket, the amount sentence kept", async () => {
    const { edition, fr, en } = await twoRegistrations();
    await customiseFrench(
      edition,
      "order_refunded",
      "{{ refund_amount }} remboursés",
      "Bonjour {{ first_name }}, voici votre remboursement.",
    );
    await db.$transaction(async (tx) => {
      for (const order of [fr, en])
        await enqueueRefundEmail(tx, { id: order.id, amountCents: 4900, currency: "EUR" }, "attendee_cancelled");
    });
    const french = await sent(fr.buyerEmail, "order_refunded");
    expect(french.subject).toBe(`49,00${NBSP}€ remboursés`);
    expect(textOf(french)).toContain("voici votre remboursement.");
    expect(textOf(french)).toContain(`et 49,00${NBSP}€ vous sont remboursés sur la carte`);
    const english = await sent(en.buyerEmail, "order_refunded");
    expect(english.subject).toBe(`Your refund for ${edition.nameEn}: €49.00`);
    expect(textOf(english)).toContain("€49.00 is refunded to the card you paid with");

    // One ticket of the order: the organisers' order-wide subject would be false; their message still opens it.
    const ticket = fr.tickets[0];
    await db.$transaction((tx) =>
      enqueueTicketStatusEmail(tx, fr, ticket, {
        kind: "order_refunded",
        reason: "buyer_cancelled_ticket",
        amountCents: 1500,
        currency: "EUR",
      }),
    );
    const one = await sent(fr.buyerEmail, "order_refunded");
    expect(one.subject).toBe(`Votre remboursement pour un billet de ${edition.nameFr}${NBSP}: 15,00${NBSP}€`);
    expect(textOf(one)).toContain("voici votre remboursement.");
  });

  it("speaker pass: the organisers' words with the code and its link, the button kept", async () => {
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "speaker" }] });
    await customiseFrench(
      edition,
      "speaker_pass",
      "{{ first_name }}, votre code {{ code }}",
      "Merci {{ first_name }} ! Lien direct : {{ code_url }}",
    );
    const file =
      "name,email,locale\nAda Lovelace,ada.speaker@example.org,fr\nGrace Hopper,grace.speaker@example.org,en\n";
    const imported = await importSpeakers(db, actor, edition.id, { ticketTypeId: edition.ticketTypes[0].id, file });
    expect(imported).toMatchObject({ ok: true, created: 2 });
    const ada = await db.voucher.findFirstOrThrow({
      where: { editionId: edition.id, issuedTo: "ada.speaker@example.org" },
    });
    const link = `http://app.test/fr/editions/${edition.slug}?code=${ada.code}`;

    const french = await sent("ada.speaker@example.org", "speaker_pass");
    expect(french.subject).toBe(`Ada Lovelace, votre code ${ada.code}`);
    expect(textOf(french)).toContain(`Merci Ada Lovelace ! Lien direct : ${link}`);
    expect(textOf(french)).toContain(`Code${NBSP}: ${ada.code}`);
    expect(textOf(french)).toContain(`M’inscrire avec ce code [${link}]`);

    const english = await sent("grace.speaker@example.org", "speaker_pass");
    expect(english.subject).toBe(`Your speaker pass for ${edition.nameEn}`);
    expect(textOf(english)).toContain("Hello Grace Hopper,");
    expect(textOf(english)).toContain("Register with this code [http://app.test/en/editions/");
  });
});
