import { describe, expect, it } from "vitest";
import { defaultTemplate, renderTemplateText } from "@/lib/templates/overrides";
import { renderStatusEmail, type StatusEmailInput } from "./order-status";

const NBSP = "\u00a0";
const base = { editionName: "Open Cloud Paris #12", reference: "K7Q2-M4" } as const;
const edition = {
  slug: "ocp",
  nameFr: base.editionName,
  nameEn: base.editionName,
  startsAt: new Date("2027-05-20T07:00:00Z"),
  endsAt: new Date("2027-05-20T16:30:00Z"),
  timeZone: "Europe/Paris",
  venueName: "Espace Charenton",
  venueAddress: "327 rue de Charenton, 75012 Paris",
  mapUrl: null,
  scheduleUrl: null,
};

// The default wording of the kind, its placeholders replaced as the renderer does.
function template(input: Pick<StatusEmailInput, "kind" | "locale" | "amountCents" | "currency">, firstName: string) {
  const { kind, locale, amountCents, currency } = input;
  return renderTemplateText(
    kind,
    defaultTemplate(kind, locale),
    {
      appUrl: "http://app.test",
      organiserName: "Open Cloud",
      edition,
      recipient: { firstName, lastName: null },
      order: { url: "http://app.test/orders/token", reference: base.reference },
      ...(amountCents !== undefined && currency && { refund: { amountCents, currency } }),
    },
    locale,
  );
}

const render = (input: Omit<StatusEmailInput, keyof typeof base | "template">, firstName = "Ada") =>
  renderStatusEmail({ ...base, ...input, template: template(input, firstName) });

describe("status emails", () => {
  it("tells an attendee who cancelled, in their language", () => {
    const fr = render({ locale: "fr", kind: "order_cancelled", reason: "attendee_cancelled" });
    expect(fr.subject).toBe("Votre inscription à Open Cloud Paris #12 est annulée");
    expect(fr.text).toContain("Bonjour Ada,");
    expect(fr.text).toContain(
      "Comme vous l’avez demandé, votre inscription à Open Cloud Paris #12 (commande K7Q2-M4) est annulée.",
    );
    const en = render({ locale: "en", kind: "order_cancelled", reason: "organiser_cancelled" });
    expect(en.subject).toBe("Your registration for Open Cloud Paris #12 is cancelled");
    expect(en.text).toContain(
      "The organisers of Open Cloud Paris #12 have cancelled your registration (order K7Q2-M4).",
    );
    expect(en.html).toContain('<html lang="en">');
  });

  it("states a refund's amount, formatted for the language", () => {
    const fr = render({
      locale: "fr",
      kind: "order_refunded",
      reason: "attendee_cancelled",
      amountCents: 4900,
      currency: "EUR",
    });
    expect(fr.subject).toBe(`Votre remboursement pour Open Cloud Paris #12\u00a0: 49,00${NBSP}€`);
    expect(fr.text).toContain(`et 49,00${NBSP}€ vous sont remboursés`);
    const en = render({
      locale: "en",
      kind: "order_refunded",
      reason: "organiser_cancelled",
      amountCents: 12050,
      currency: "EUR",
    });
    expect(en.subject).toBe("Your refund for Open Cloud Paris #12: €120.50");
    expect(en.text).toContain("€120.50 is refunded to the card you paid with");
  });

  it("explains a late payment refunded for want of a seat", () => {
    const en = render({
      locale: "en",
      kind: "order_refunded",
      reason: "late_payment_no_seat",
      amountCents: 4900,
      currency: "EUR",
    });
    expect(en.subject).toBe("Your payment for Open Cloud Paris #12 is refunded");
    expect(en.text).toContain("no seat was left by then, so you are not registered. We have refunded €49.00");
    const fr = render({
      locale: "fr",
      kind: "order_refunded",
      reason: "late_payment_no_seat",
      amountCents: 4900,
      currency: "EUR",
    });
    expect(fr.text).toContain(
      `il ne restait plus de place${NBSP}: vous n’êtes donc pas inscrit·e. ` +
        `Nous vous avons remboursé 49,00${NBSP}€`,
    );
  });

  it("names the one ticket of a group that was cancelled, and says the others stay valid", () => {
    const ticket = { position: 2, holder: "Alan Turing" };
    const en = render({
      locale: "en",
      kind: "order_refunded",
      reason: "buyer_cancelled_ticket",
      amountCents: 1500,
      currency: "EUR",
      ticket,
    });
    expect(en.subject).toBe("Your refund for one ticket of Open Cloud Paris #12: €15.00");
    expect(en.text).toContain("ticket 2 (Alan Turing) of your order K7Q2-M4 for Open Cloud Paris #12 is cancelled");
    expect(en.text).toContain("€15.00 is refunded to the card you paid with");
    expect(en.text).toContain("The other tickets of the order stay valid.");
    const fr = render({
      locale: "fr",
      kind: "order_cancelled",
      reason: "organiser_cancelled",
      ticket: { position: 3, holder: null },
    });
    expect(fr.subject).toBe("Un billet de votre commande pour Open Cloud Paris #12 est annulé");
    expect(fr.text).toContain(
      `ont annulé le billet 3 de votre commande K7Q2-M4${NBSP}: son QR code n’est plus valable.`,
    );
  });

  it("never says the other tickets stay valid when the ticket was the order's last valid one", () => {
    const last = { position: 3, holder: "Alan Turing", lastTicket: true };
    const en = render({
      locale: "en",
      kind: "order_refunded",
      reason: "organiser_cancelled",
      amountCents: 1500,
      currency: "EUR",
      ticket: last,
    });
    expect(en.text).toContain("No other ticket of the order remains valid: the order is closed.");
    expect(en.text).not.toContain("stay valid");
    const fr = render({ locale: "fr", kind: "order_cancelled", reason: "buyer_cancelled_ticket", ticket: last });
    expect(fr.text).toContain(`Aucun autre billet de la commande ne reste valable${NBSP}: la commande est close.`);
    expect(fr.text).not.toContain("restent valables");
    const byTransfer = render({
      locale: "fr",
      kind: "order_refunded",
      reason: "organiser_cancelled",
      amountCents: 4900,
      currency: "EUR",
      ticket: last,
      byTransfer: true,
    });
    expect(byTransfer.text).toContain("vous sera rendu par virement");
    expect(byTransfer.text).toContain("Aucun autre billet de la commande ne reste valable");
    const attendee = render({
      locale: "en",
      kind: "order_cancelled",
      reason: "attendee_cancelled_ticket",
      ticket: last,
    });
    expect(attendee.text).toContain("No other ticket of the order remains valid");
  });

  it("tells the buyer that the attendee of one ticket cancelled it, with the refund to their card", () => {
    const ticket = { position: 2, holder: "Alan Turing" };
    const reason = "attendee_cancelled_ticket";
    const en = render({ locale: "en", kind: "order_refunded", reason, amountCents: 1500, currency: "EUR", ticket });
    expect(en.subject).toBe(
      "One ticket of your order for Open Cloud Paris #12 was cancelled by its attendee: €15.00 refunded",
    );
    expect(en.text).toContain("The attendee has cancelled ticket 2 (Alan Turing) of your order K7Q2-M4");
    expect(en.text).toContain("€15.00 is refunded to the card you paid with");
    const fr = render({ locale: "fr", kind: "order_cancelled", reason, ticket: { position: 3, holder: null } });
    expect(fr.subject).toBe("Un billet de votre commande pour Open Cloud Paris #12 a été annulé par son participant");
    expect(fr.text).toContain(
      `Le participant concerné a annulé le billet 3 de votre commande K7Q2-M4 pour Open Cloud Paris #12${NBSP}: son QR`,
    );
  });

  it("escapes what people typed", () => {
    const email = render({ locale: "en", kind: "order_cancelled", reason: "attendee_cancelled" }, "<img src=x>");
    expect(email.html).not.toContain("<img src=x");
    // The greeting is the organisers' Markdown now: its renderer writes the named entity.
    expect(email.html).toContain("&lt;img src=x");
  });
});
