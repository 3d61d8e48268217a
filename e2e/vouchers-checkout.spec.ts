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
    "Code COMMUNITY-20 applied: 20 % off the tickets it applies to.",
  );
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
  await expect(page.getByText("This code has been used as many times as it allows. Nothing was booked.")).toBeVisible();
  expect(await seatsTaken(db, edition.id)).toBe(seats);
  expect((await db.voucher.findUniqueOrThrow({ where: { id: code.id } })).used).toBe(1);

  // The page itself now says so, and the API answers each refusal as a problem with its reason.
  await page.goto(editionWithCodePath("en", edition.slug, "LAST-ONE"));
  await expect(page.locator("#voucher-code-status")).toHaveText(
    "This code has been used as many times as it allows. Nothing was booked.",
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
