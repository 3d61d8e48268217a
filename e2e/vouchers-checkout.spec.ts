import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { getSeatUsage } from "@/lib/capacity/seats";
import type { createEdition } from "@/devtools/testing/fixtures";
import type { Db } from "@/lib/db/prisma";
import { editionWithCodePath } from "@/lib/http/paths";
import { expect, test, uniqueEmail } from "./support/database";
import { waitForEmailTo } from "./support/mailbox";
import { problemOf } from "./support/problem";
import { fillAttendee, LABELS } from "./support/registration-form";

const NBSP = "\u00a0";

/** An edition with a paid conference ticket and a hidden sponsor type, sold only with a code naming it. */
async function editionWithSponsors(
  db: Db,
  newEdition: typeof createEdition extends (db: Db, ...rest: infer R) => infer T ? (...args: R) => T : never,
) {
  const edition = await newEdition({
    capacity: 30,
    ticketTypes: [
      { code: "conference", priceCents: 25000 },
      { code: "sponsor", priceCents: 40000 },
    ],
  });
  const sponsor = edition.ticketTypes.find((type) => type.code === "sponsor")!;
  await db.ticketType.update({ where: { id: sponsor.id }, data: { hidden: true } });
  return { edition, sponsor };
}

function createCode(db: Db, editionId: string, code: string, data: object, ticketTypeIds: string[] = []) {
  return db.voucher.create({
    data: {
      editionId,
      code,
      codeKey: code.replaceAll("-", ""),
      maxUses: 10,
      effect: "PERCENT_OFF",
      percentOff: 20,
      ...data,
      ticketTypes: { create: ticketTypeIds.map((ticketTypeId) => ({ ticketTypeId })) },
    },
  });
}

async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`)).toEqual(
    [],
  );
}

const seatsTaken = async (db: Db, editionId: string) => {
  const usage = await getSeatUsage(db, editionId);
  return usage.held + usage.confirmed;
};

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("a sponsor's 100 % code from its link unlocks the hidden type and confirms without Stripe (fr)", async ({
    page,
    db,
    newEdition,
  }) => {
    const { edition, sponsor } = await editionWithSponsors(db, newEdition);
    await createCode(db, edition.id, "ACME-K7QX-M3PA", { effect: "FREE", percentOff: null }, [sponsor.id]);
    const email = uniqueEmail("sponsor-fr");

    // Without the code, the sponsors' type is nowhere.
    await page.goto(`/fr/editions/${edition.slug}`);
    await expect(page.getByRole("heading", { name: "sponsor" })).toHaveCount(0);

    await page.goto(editionWithCodePath("fr", edition.slug, "ACME-K7QX-M3PA"));
    await expect(page.locator("#voucher-code-status")).toHaveText(
      `Code ACME-K7QX-M3PA appliqué${NBSP}: billets gratuits. Il donne accès à${NBSP}: sponsor.`,
    );
    await expect(page.getByLabel("Code promo ou d’accès")).toHaveValue("ACME-K7QX-M3PA");
    const sponsorCard = page.locator(".ticket-type", { has: page.getByRole("heading", { name: "sponsor" }) });
    await expect(sponsorCard.locator("del")).toContainText(`400,00${NBSP}€`);
    await expect(sponsorCard.locator("ins")).toContainText("Gratuit");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expectNoSeriousViolations(page);

    await page.getByRole("link", { name: "S’inscrire : sponsor" }).tap();
    await expect(page.getByText("Avec le code ACME-K7QX-M3PA")).toBeVisible();
    await expect(page.getByRole("radio", { name: /sponsor/ })).toBeChecked();
    // Nothing to pay: no payment choice (nor transfer) is offered, as it is for the paid type.
    const paymentNote = page.getByText("Les billets payants vous sont réservés");
    await expect(paymentNote).toHaveCount(0);
    await page.getByRole("radio", { name: /conference/ }).check();
    await expect(paymentNote).toBeVisible();
    await page.getByRole("radio", { name: /sponsor/ }).check();
    await expect(paymentNote).toHaveCount(0);
    await fillAttendee(page, "fr", { firstName: "Grace", lastName: "Hopper", email });
    await page.getByRole("button", { name: LABELS.fr.submit }).tap();

    await expect(page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible();
    const order = await db.order.findFirstOrThrow({ where: { buyerEmail: email }, include: { tickets: true } });
    expect(order).toMatchObject({ status: "CONFIRMED", amountCents: 0, holdExpiresAt: null, paymentReference: null });
    expect(order.tickets[0]).toMatchObject({ ticketTypeId: sponsor.id, priceCents: 0, discountCents: 40000 });
    const mail = await waitForEmailTo(email);
    expect(mail.text).toContain(`Prix habituel 400,00${NBSP}€ · Code ACME-K7QX-M3PA${NBSP}: −400,00${NBSP}€`);
  });
});

test("a 20 % community code shows its price before paying, is paid with 4242 and receipted (en)", async ({
  page,
  db,
  newEdition,
}) => {
  const { edition } = await editionWithSponsors(db, newEdition);
  await createCode(db, edition.id, "COMMUNITY-20", {});
  const email = uniqueEmail("community-en");

  await page.goto(`/en/editions/${edition.slug}`);
  await page.getByLabel("Promo or access code").fill("community 20");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/\?code=community\+20$/);
  await expect(page.locator("#voucher-code-status")).toHaveText(
    "Code COMMUNITY-20 applied: 20% off the tickets it applies to.",
  );
  await expect(page.locator("#voucher-code-status")).toHaveClass(/notice-success/);
  const card = page.locator(".ticket-type", { has: page.getByRole("heading", { name: "conference" }) });
  await expect(card.locator("del")).toContainText("€250.00");
  await expect(card.locator("ins")).toContainText("€200.00");

  await page.getByRole("link", { name: "Register: conference" }).click();
  await expect(page.getByRole("radio", { name: /conference/ })).toBeChecked();
  await expect(page.locator("label.choice", { hasText: "conference" })).toContainText("€200.00");
  await fillAttendee(page, "en", { firstName: "Katherine", lastName: "Johnson", email });
  await page.getByRole("button", { name: LABELS.en.submit }).click();

  await expect(page.getByRole("heading", { name: "Checkout (test mode)" })).toBeVisible();
  await expect(page.locator(".items")).toContainText("conference — code COMMUNITY-20 × 1");
  await expect(page.locator(".total")).toContainText("€200.00");
  // Back from Stripe, the refilled form still has the code and its price.
  await page.getByRole("link", { name: "Cancel and go back" }).click();
  await expect(page.getByText("With the code COMMUNITY-20")).toBeVisible();
  await expect(page.locator("label.choice", { hasText: "conference" })).toContainText("€200.00");
  await expectNoSeriousViolations(page);
  await page.getByRole("button", { name: LABELS.en.submit }).click();
  await expect(page.locator(".total")).toContainText("€200.00");
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay/ }).click();

  await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible({ timeout: 15_000 });
  const order = await db.order.findFirstOrThrow({ where: { buyerEmail: email, status: "CONFIRMED" } });
  expect(order).toMatchObject({ amountCents: 20000 });
  const mail = await waitForEmailTo(email);
  expect(mail.text).toContain("conference: €200.00 (Usual price €250.00 · Code COMMUNITY-20: −€50.00)");
  expect(mail.text).toContain("Total paid (VAT included): €200.00");
});

test("a code used up meanwhile is refused with a clear message and nothing held; the API says why (en)", async ({
  page,
  request,
  db,
  newEdition,
}) => {
  const { edition } = await editionWithSponsors(db, newEdition);
  const code = await createCode(db, edition.id, "LAST-ONE", { maxUses: 1 });

  // The buyer opens the form while the code has a use left…
  await page.goto(`/en/editions/${edition.slug}/register?ticket=conference&code=LAST-ONE`);
  await expect(page.getByText("With the code LAST-ONE")).toBeVisible();

  // …which an API client takes first: the code prices its order.
  const api = (body: object) => request.post(`/api/v1/editions/${edition.slug}/registrations`, { data: body });
  const attendee = (label: string) => ({ firstName: "Api", lastName: "Client", email: uniqueEmail(label) });
  const first = await api({ ticketType: "conference", attendee: attendee("api-code"), code: "last-one", locale: "en" });
  expect(first.status()).toBe(201);
  expect(await first.json()).toMatchObject({
    amountCents: 20000,
    tickets: [{ ticketType: "conference", priceCents: 20000 }],
  });
  const seats = await seatsTaken(db, edition.id);

  await fillAttendee(page, "en", { firstName: "Late", lastName: "Comer", email: uniqueEmail("used-up") });
  await page.getByRole("button", { name: LABELS.en.submit }).click();
  await expect(page.getByRole("alert").first()).toHaveText(
    "This code has been used as many times as it allows. Nothing was booked. Remove the code",
  );
  expect(await seatsTaken(db, edition.id)).toBe(seats);
  expect((await db.voucher.findUniqueOrThrow({ where: { id: code.id } })).used).toBe(1);

  // The page itself now says so, and the API answers each refusal as a problem with its reason.
  await page.goto(editionWithCodePath("en", edition.slug, "LAST-ONE"));
  // Looked up, a used-up code books nothing: the page does not say so, and offers to go on without it.
  await expect(page.locator("#voucher-code-status")).toHaveText(
    "This code has been used as many times as it allows. Remove the code",
  );
  await expectNoSeriousViolations(page);
  const usedUp = await api({ ticketType: "conference", attendee: attendee("api-used-up"), code: "LAST-ONE" });
  expect(usedUp.status()).toBe(409);
  expect(await usedUp.json()).toEqual(problemOf(409, "voucher_used_up"));
  const unknown = await api({ ticketType: "conference", attendee: attendee("api-unknown"), code: "NOPE-NOPE" });
  expect(unknown.status()).toBe(422);
  expect(await unknown.json()).toEqual(problemOf(422, "voucher_unknown"));
  // Odd codes in the page's address are just unknown ones.
  for (const odd of ["%E2%80%AE", "A".repeat(5000), "%F0%9F%98%80"]) {
    expect((await request.get(`/en/editions/${edition.slug}?code=${odd}`)).status()).toBe(200);
  }
  const hidden = await api({ ticketType: "sponsor", attendee: attendee("api-hidden") });
  expect(hidden.status()).toBe(422);
  expect(await seatsTaken(db, edition.id)).toBe(seats);
});

test("a code for 2 tickets per order: applied first, each ticket's price and the total as charged (en)", async ({
  page,
  request,
  db,
  newEdition,
}) => {
  const { edition } = await editionWithSponsors(db, newEdition);
  await createCode(db, edition.id, "TEAM-TWO", { maxUsesPerOrder: 2 });
  await createCode(db, edition.id, "LAST-YEAR", { validUntil: new Date("2026-01-01T00:00:00Z") });

  // A refused code is offered away, the ticket chosen kept.
  await page.goto(`/en/editions/${edition.slug}/register?ticket=conference&code=LAST-YEAR`);
  await expect(page.locator("#voucher-code-status")).toHaveText("This code has expired. Remove the code");
  await page.getByRole("link", { name: "Remove the code" }).click();
  await expect(page).toHaveURL(new RegExp(`/register\\?ticket=conference$`));
  await expect(page.getByRole("radio", { name: /conference/ })).toBeChecked();

  // The code field comes before the registration's, so applying it erases nothing typed yet.
  await expect(page.locator("form").first().getByLabel("Promo or access code")).toBeVisible();
  await page.getByLabel("Promo or access code").fill("team two");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/\?ticket=conference&code=team\+two$/);
  await expect(page.locator("#voucher-code-status")).toHaveText(
    "Code TEAM-TWO applied: 20% off the tickets it applies to. " +
      "It applies to up to 2 tickets per order; the others are at the usual price.",
  );
  await expectNoSeriousViolations(page);

  // Three tickets: two at the code's price, the third at the usual one, as Stripe will charge them.
  await page.goto(`/en/editions/${edition.slug}/register?code=TEAM-TWO&quantity.conference=3`);
  const prices = page.locator(".ticket-block-price");
  await expect(prices).toHaveCount(3);
  await expect(prices.nth(0)).toHaveText("Usual price €250.00 Price with the code €200.00");
  await expect(prices.nth(1)).toHaveText("Usual price €250.00 Price with the code €200.00");
  await expect(prices.nth(2)).toHaveText("€250.00");
  await expect(page.locator(".order-total")).toHaveText("Total to pay (VAT included): €650.00");
  await expectNoSeriousViolations(page);
  const buyer = { firstName: "Mary", lastName: "Jackson", email: uniqueEmail("team-buyer") };
  const fillBlock = async (block: string, person: { firstName: string; lastName: string; email: string }) => {
    const field = (name: string) =>
      page.getByRole("group", { name: block }).getByRole("textbox", { name, exact: true });
    await field(LABELS.en.firstName).fill(person.firstName);
    await field(LABELS.en.lastName).fill(person.lastName);
    await field(LABELS.en.email).fill(person.email);
  };
  await fillBlock("Your details (buyer)", buyer);
  for (const n of [1, 2, 3]) {
    await fillBlock(`Ticket ${n} of 3: conference`, {
      firstName: "Dorothy",
      lastName: `Vaughan ${n}`,
      email: uniqueEmail(`team-${n}`),
    });
  }
  await page.getByRole("button", { name: "Order 3 tickets" }).click();
  await expect(page.getByRole("heading", { name: "Checkout (test mode)" })).toBeVisible();
  await expect(page.locator(".total")).toContainText("€650.00");

  // The API tells each ticket's discount and code; the order page shows the usual price and the discount.
  const created = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: {
      buyer: { firstName: "Api", lastName: "Buyer", email: uniqueEmail("team-api") },
      tickets: [1, 2, 3].map((n) => ({
        ticketType: "conference",
        attendee: { firstName: "Api", lastName: `Ticket ${n}`, email: uniqueEmail(`team-api-${n}`) },
      })),
      code: "team-two",
      locale: "en",
    },
  });
  expect(created.status()).toBe(201);
  const order = await created.json();
  expect(order).toMatchObject({ amountCents: 65000 });
  expect(order.tickets).toEqual([
    { position: 1, ticketType: "conference", priceCents: 20000, discountCents: 5000, code: "TEAM-TWO" },
    { position: 2, ticketType: "conference", priceCents: 20000, discountCents: 5000, code: "TEAM-TWO" },
    { position: 3, ticketType: "conference", priceCents: 25000, discountCents: 0, code: null },
  ]);
  await page.goto(new URL(order.confirmationUrl).pathname);
  const line = page.locator(".summary div", { hasText: "conference × 2" });
  await expect(line.locator("dd")).toHaveText("€200.00 (Usual price €250.00 · Code TEAM-TWO: −€50.00)");
});
