import { expect, test, uniqueEmail } from "./support/database";
import { waitForEmailTo } from "./support/mailbox";

const NBSP = "\u00a0";

test("in French on a phone: the buyer resends a ticket, an attendee cancels their own (refunded to the buyer)", async ({
  page,
  request,
  db,
  newEdition,
}) => {
  const edition = await newEdition({
    capacity: 10,
    ticketTypes: [
      { code: "standard", priceCents: 4900 },
      { code: "student", priceCents: 1500 },
    ],
  });
  // Attendees may not cancel yet: the organisers allow it further down.
  const setting = (attendeesMayCancel: boolean) =>
    db.edition.update({
      where: { id: edition.id },
      data: { attendeesMayCancel, refundDeadline: new Date("2027-05-01T00:00:00Z") },
    });
  await setting(false);
  const buyer = { firstName: "Jeanne", lastName: "Martin", email: uniqueEmail("self-buyer") };
  const staying = { firstName: "Ada", lastName: "Reste", email: uniqueEmail("self-stays") };
  const leaving = { firstName: "Alan", lastName: "Part", email: uniqueEmail("self-leaves") };
  const created = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: {
      buyer,
      locale: "fr",
      tickets: [
        { ticketType: "standard", attendee: staying },
        { ticketType: "student", attendee: leaving },
      ],
    },
  });
  expect(created.status()).toBe(201);
  const { checkoutUrl, orderId } = await created.json();

  await page.goto(checkoutUrl);
  await page.getByLabel("Numéro de carte").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiration (MM/AA)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Payer/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible({
    timeout: 15_000,
  });

  // The buyer sends the first ticket again: its attendee gets a second copy; a second click is held back.
  await waitForEmailTo(staying.email);
  const first = page.getByTestId("order-ticket-1");
  await first.getByRole("button", { name: "Renvoyer ce billet" }).click();
  await expect(first.getByText(`Renvoyé à ${staying.email}.`)).toBeVisible();
  const again = await waitForEmailTo(staying.email, { nth: 2 });
  expect(again.text).toMatch(/\/fr\/tickets\/[A-Za-z0-9_-]+/);
  await first.getByRole("button", { name: "Renvoyer ce billet" }).click();
  const wait = "Ce billet vient d’être renvoyé. Attendez 5 minutes avant de le renvoyer encore.";
  await expect(first.getByText(wait)).toBeVisible();

  // The leaving attendee opens their own ticket from their email.
  const theirs = await waitForEmailTo(leaving.email);
  const link = theirs.text?.match(/https?:\/\/\S+\/tickets\/[A-Za-z0-9_-]+/)?.[0];
  if (!link) throw new Error("no ticket link in the attendee's email");
  await page.goto(new URL(link).pathname);
  await expect(page.getByTestId("own-ticket-holder")).toContainText("Alan Part");
  await expect(page.getByText("Annuler mon billet", { exact: true })).toHaveCount(0);

  // Allowed now. A page opened then, posted after the organisers withdrew the right, is refused.
  await setting(true);
  await page.reload();
  await page.getByText("Annuler mon billet", { exact: true }).click();
  await expect(page.getByText(/Son prix, 15,00\s€, est remboursé sur la carte qui l’a payé/)).toBeVisible();
  await setting(false);
  await page.getByRole("button", { name: "Oui, annuler mon billet" }).click();
  await expect(page).toHaveURL(/refusal=not_allowed/);
  await expect(page.getByText("Annuler mon billet", { exact: true })).toHaveCount(0);
  expect((await db.ticket.findMany({ where: { orderId }, select: { status: true } })).map((t) => t.status)).toEqual([
    "ACTIVE",
    "ACTIVE",
  ]);

  await setting(true);
  await page.goto(new URL(link).pathname);
  await page.getByText("Annuler mon billet", { exact: true }).click();
  await page.getByRole("button", { name: "Oui, annuler mon billet" }).click();
  await expect(page.getByText(/Annulé, 15,00\s€ remboursés/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Oui, annuler mon billet" })).toHaveCount(0);

  const order = await db.order.findUniqueOrThrow({
    where: { id: orderId },
    include: { refunds: true, tickets: { orderBy: { position: "asc" } } },
  });
  expect(order.status).toBe("CONFIRMED");
  expect(order.tickets.map((ticket) => ticket.status)).toEqual(["ACTIVE", "REFUNDED"]);
  expect(order.refunds).toEqual([expect.objectContaining({ ticketId: order.tickets[1].id, amountCents: 1500 })]);

  // The buyer, who paid, is told that this attendee gave their ticket back.
  const refunded = `15,00${NBSP}€ remboursés`;
  const notice = await waitForEmailTo(buyer.email, {
    subject: `Un billet de votre commande pour ${edition.nameFr} a été annulé par son participant${NBSP}: ${refunded}`,
  });
  expect(notice.text).toContain("Le participant concerné a annulé le billet 2 (Alan Part)");
});
