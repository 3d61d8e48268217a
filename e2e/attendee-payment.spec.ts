import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { waitForEmailTo } from "./support/mailbox";
import { fillAttendee, LABELS } from "./support/registration-form";

const NBSP = "\u00a0";

test("buys a paid ticket through Stripe Checkout with the 4242 test card (fr)", async ({ page, db }) => {
  const email = uniqueEmail("paid-fr");
  await page.goto(`/fr/editions/${DEMO_EDITION}`);
  await expect(page.getByText("Paiements en mode test : aucune vraie carte n’est débitée.")).toBeVisible();
  await page.getByRole("link", { name: "S’inscrire : Standard" }).click();
  await fillAttendee(page, "fr", { firstName: "Katherine", lastName: "Johnson", email });
  await page.getByRole("checkbox", { name: LABELS.fr.coc }).check();
  await page.getByRole("button", { name: LABELS.fr.submit }).click();

  await expect(page.getByRole("heading", { name: "Paiement (mode test)" })).toBeVisible();
  await expect(page.locator(".total")).toContainText(`49,00${NBSP}€`);
  await page.getByLabel("Numéro de carte").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiration (MM/AA)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Payer/ }).click();

  // Back on Guichet: "payment received, confirming…" until the signed webhook lands, then confirmed.
  await expect(page).toHaveURL(/\/fr\/orders\/[A-Za-z0-9_-]+\?checkout=success$/);
  await expect(page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("Confirmée")).toBeVisible();
  await expect(page.locator(".summary")).toContainText(`49,00${NBSP}€`);
  const order = await db.order.findFirstOrThrow({ where: { buyerEmail: email } });
  expect(order).toMatchObject({ status: "CONFIRMED", amountCents: 4900 });
  expect(order.paymentIntentId).toMatch(/^pi_/);
  // The paid confirmation carries a receipt with the VAT line.
  const mail = await waitForEmailTo(email);
  expect(mail.text).toContain(`Total payé (TTC) : 49,00${NBSP}€`);
  expect(mail.text).toContain(`dont TVA (20${NBSP}%) : 8,17${NBSP}€`);
});

test("a declined card keeps the seat held; going back releases it and refills the form (en)", async ({ page, db }) => {
  const email = uniqueEmail("declined-en");
  await page.goto(`/en/editions/${DEMO_EDITION}/register?ticket=supporter`);
  await fillAttendee(page, "en", { firstName: "Hedy", lastName: "Lamarr", email, company: "Frequency Hopping" });
  await page.getByLabel("T-shirt size").selectOption("l");
  await page.getByRole("checkbox", { name: LABELS.en.coc }).check();
  await page.getByRole("button", { name: LABELS.en.submit }).click();

  await expect(page.getByRole("heading", { name: "Checkout (test mode)" })).toBeVisible();
  await expect(page.locator(".total")).toContainText("€150.00");
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay/ }).click();
  await expect(page.getByRole("alert")).toHaveText("Your card was declined.");
  await page.getByLabel("Card number").fill("4000 0000 0000 9995");
  await page.getByRole("button", { name: /^Pay/ }).click();
  await expect(page.getByRole("alert")).toHaveText("Your card has insufficient funds.");
  expect((await db.order.findFirstOrThrow({ where: { buyerEmail: email } })).status).toBe("PENDING");

  await page.getByRole("link", { name: "Cancel and go back" }).click();
  await expect(page).toHaveURL(/\/en\/editions\/open-cloud-paris-12\/register\?ticket=supporter&from=/);
  await expect(page.getByRole("textbox", { name: "First name", exact: true })).toHaveValue("Hedy");
  await expect(page.getByRole("textbox", { name: "Company or organisation (optional)", exact: true })).toHaveValue(
    "Frequency Hopping",
  );
  await expect(page.getByLabel("T-shirt size")).toHaveValue("l");
  await expect(page.getByRole("radio", { name: /Supporter/ })).toBeChecked();
  const order = await db.order.findFirstOrThrow({ where: { buyerEmail: email } });
  expect(order).toMatchObject({ status: "CANCELLED", statusReason: "checkout_cancelled" });
});

test("an attendee whose late payment was refunded is told so plainly (en)", async ({ page, request, db }) => {
  const created = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
    data: {
      ticketType: "standard",
      attendee: { firstName: "Late", lastName: "Payer", email: uniqueEmail("late") },
      answers: { coc: true },
      locale: "en",
    },
  });
  const order = await created.json();
  // What the webhook handler leaves behind after a late payment that found no seat (see lib/payments/webhook.test.ts).
  await db.order.update({
    where: { id: order.orderId },
    data: { status: "REFUNDED", statusReason: "late_payment_no_seat" },
  });
  await page.goto(new URL(order.confirmationUrl).pathname);
  await expect(page.getByRole("heading", { level: 1, name: "Your payment was refunded" })).toBeVisible();
  await expect(page.getByText(/arrived after your seat's hold had run out/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Pay now" })).toHaveCount(0);
});

test("an attendee whose refund failed at Stripe sees it and retries it (en)", async ({ page, db }) => {
  const email = uniqueEmail("refund-fails");
  await page.goto(`/en/editions/${DEMO_EDITION}`);
  await page.getByRole("link", { name: "Register: Standard" }).click();
  await fillAttendee(page, "en", { firstName: "Closed", lastName: "Card", email });
  await page.getByRole("checkbox", { name: LABELS.en.coc }).check();
  await page.getByRole("button", { name: LABELS.en.submit }).click();
  // Stripe's test card whose refunds are accepted, then fail (the card was closed).
  await page.getByLabel("Card number").fill("4000 0000 0000 5126");
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible({ timeout: 15_000 });

  await page.getByText("Cancel your registration").click();
  await page.getByRole("button", { name: "Yes, cancel my registration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your payment was refunded" })).toBeVisible();
  // Stripe's refund.failed webhook lands: the page says so and offers to try again.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText(/Your refund of €49\.00 failed at the payment service/)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  const order = await db.order.findFirstOrThrow({ where: { buyerEmail: email }, include: { refunds: true } });
  expect(order.refunds[0]).toMatchObject({ status: "FAILED", lastError: "expired_or_canceled_card" });

  await page.getByRole("button", { name: "Retry the refund" }).click();
  const sentAgain = async () => (await db.refund.findFirstOrThrow({ where: { orderId: order.id } })).stripeRefundId;
  await expect.poll(sentAgain, { timeout: 15_000 }).not.toBe(order.refunds[0].stripeRefundId);
});
