import { describe, expect, it } from "vitest";
import { defaultTemplate, renderTemplateText } from "@/lib/templates/overrides";
import { renderOrderConfirmation, type ConfirmationInput } from "./order-confirmation";

const NBSP = "\u00a0";

function input(locale: "fr" | "en", amountCents: number, firstName = "Ada"): ConfirmationInput {
  const edition = {
    id: "e1",
    slug: "ocp",
    nameFr: "Open Cloud Paris #12",
    nameEn: "Open Cloud Paris #12",
    descriptionFr: "",
    descriptionEn: "",
    venueName: "Espace Charenton",
    venueAddress: "327 rue de Charenton, 75012 Paris",
    startsAt: new Date("2027-05-20T07:00:00Z"),
    endsAt: new Date("2027-05-20T16:30:00Z"),
    timeZone: "Europe/Paris",
    capacity: 300,
    currency: "EUR",
    status: "OPEN",
    createdAt: new Date(),
    updatedAt: new Date(),
  } as const;
  const ticketType = {
    id: "tt1",
    editionId: "e1",
    code: "standard",
    nameFr: "Standard",
    nameEn: "Standard",
    descriptionFr: "",
    descriptionEn: "",
    priceCents: amountCents,
    quota: null,
    salesStartAt: null,
    salesEndAt: null,
    active: true,
    position: 0,
    vatRateBasisPoints: 2000,
    vatExemption: null,
  };
  const ticket = {
    id: "t1",
    orderId: "o1",
    editionId: "e1",
    ticketTypeId: "tt1",
    firstName,
    lastName: "Lovelace",
    email: "ada@example.org",
    company: null,
    answers: {},
    priceCents: amountCents,
    status: "ACTIVE",
    codeVersion: 1,
    createdAt: new Date(),
    updatedAt: new Date(),
    ticketType,
  } as const;
  const order = {
    id: "o1",
    reference: "K7Q2-9XMD",
    accessToken: "token",
    editionId: "e1",
    buyerEmail: "ada@example.org",
    locale,
    status: "CONFIRMED",
    amountCents,
    currency: "EUR",
    holdExpiresAt: null,
    paymentReference: null,
    paymentIntentId: null,
    statusReason: null,
    confirmedAt: new Date(),
    createdAt: new Date(),
    updatedAt: new Date(),
    edition,
    tickets: [ticket],
  } as unknown as ConfirmationInput["order"];
  const orderUrl = `http://app.test/${locale}/orders/token`;
  // The default wording, its placeholders replaced as the renderer does.
  const template = renderTemplateText(
    "order_confirmation",
    defaultTemplate("order_confirmation", locale),
    {
      appUrl: "http://app.test",
      organiserName: "Open Cloud",
      edition: { ...edition, mapUrl: null, scheduleUrl: null },
      recipient: { firstName, lastName: "Lovelace" },
      ticket: { url: orderUrl, typeNameFr: "Standard", typeNameEn: "Standard" },
      order: { url: orderUrl, reference: "K7Q2-9XMD" },
    },
    locale,
  );
  return { order, codes: new Map([["t1", "G1code"]]), orderUrl, template };
}

describe("renderOrderConfirmation", () => {
  it("writes a French paid confirmation with its receipt and VAT line", () => {
    const email = renderOrderConfirmation(input("fr", 4900));
    expect(email.subject).toBe("Votre billet pour Open Cloud Paris #12");
    expect(email.text).toContain("Bonjour Ada,");
    expect(email.text).toContain("Quand : jeudi 20 mai 2027, 09:00");
    expect(email.text).toContain(`Total payé (TTC) : 49,00${NBSP}€`);
    expect(email.text).toContain(`dont TVA (20${NBSP}%) : 8,17${NBSP}€`);
    expect(email.text).toContain("Référence de commande : K7Q2-9XMD");
    expect(email.text).toContain("http://app.test/fr/orders/token");
    expect(email.html).toContain('lang="fr"');
    expect(email.html).toContain("cid:qr-t1@guichet");
    expect(email.html).toContain("openstreetmap.org/search?query=Espace%20Charenton");
    expect(email.pdfTickets).toEqual([
      expect.objectContaining({
        code: "G1code",
        holder: "Ada Lovelace",
        ticketType: "Standard",
        reference: "K7Q2-9XMD",
      }),
    ]);
  });

  it("writes an English free confirmation without a receipt", () => {
    const email = renderOrderConfirmation(input("en", 0));
    expect(email.subject).toBe("Your ticket for Open Cloud Paris #12");
    expect(email.text).toContain("Hello Ada,");
    expect(email.text).toContain("When: Thursday, May 20, 2027");
    expect(email.text).not.toContain("Receipt");
    expect(email.html).not.toContain("Receipt");
  });

  it("escapes what attendees typed", () => {
    const email = renderOrderConfirmation(input("en", 0, '<img src=x onerror="alert(1)">'));
    expect(email.html).not.toContain("<img src=x");
    expect(email.html).toContain("&#60;img src=x");
  });
});
