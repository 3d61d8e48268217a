import { placeOrder } from "@/lib/orders/register";
import { expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";
import { waitForEmailTo } from "./support/mailbox";
import { LABELS } from "./support/registration-form";

// The offered person's journey (docs/waiting-list.md, "The offered person pays"): a sold-out edition, a join from its
// page, the organiser's cancellation frees the seat, the offer email's link opens the registration page with the seats
// held, card 4242 on the local Stripe checkout, and the offer converts once Stripe's webhook confirms the order.

test("the offered person pays with 4242 through the offer's link, and the link closes after (en)", async ({
  page,
  browser,
  db,
  newEdition,
  request,
}) => {
  test.setTimeout(90_000);
  const edition = await newEdition({ capacity: 1, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  // The only seat, a complimentary ticket given by the organiser.
  const first = { firstName: "Quick", lastName: "One", email: uniqueEmail("first"), company: null };
  const given = await placeOrder(db, {
    edition,
    buyer: first,
    tickets: [{ ticketType: edition.ticketTypes[0], attendee: first, answers: {}, priceCents: 0 }],
    locale: "en",
    holdExpiresAt: null,
    now: new Date(),
  });
  if (!given.ok) throw new Error(JSON.stringify(given));

  const address = uniqueEmail("offered");
  await page.goto(`/en/editions/${edition.slug}`);
  const list = page.getByRole("region", { name: "Waiting list" });
  await list.getByRole("textbox", { name: "Your name" }).fill("Grace Hopper");
  await list.getByRole("textbox", { name: /Your email address/ }).fill(address);
  await expect(list.getByRole("checkbox", { name: "standard" })).toBeChecked();
  await list.getByRole("button", { name: "Join the waiting list" }).click();
  await expect(list.getByRole("status")).toContainText("number 1 in line");

  // The organiser cancels the complimentary ticket from the attendee list: the seat goes to the list at once.
  const office = await browser.newContext();
  await office.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(office, "ORGANISER");
  const admin = await office.newPage();
  admin.on("dialog", (dialog) => void dialog.accept());
  await admin.goto(`/admin/editions/${edition.slug}/attendees`);
  await expect(async () => {
    await admin.getByLabel("Select One Quick").check();
    await expect(admin.getByTestId("bulk-count")).toHaveText("1 attendee selected", { timeout: 1000 });
  }).toPass();
  await admin.getByRole("button", { name: "Cancel, keep payment" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "1 cancelled" })).toBeVisible();
  await office.close();

  const offerMail = await waitForEmailTo(address, { subject: /(is|are) held for you until/ });
  const link = offerMail.text?.match(/https?:\/\/\S+\/en\/editions\/\S+\/register\?offer=([A-Za-z0-9_-]+)/);
  if (!link) throw new Error("no offer link in the offer email");
  const [offerUrl, token] = link;
  const offerPath = new URL(offerUrl).pathname + new URL(offerUrl).search;

  // The form of the offer: the seat held until its deadline, the type fixed, the entry's details, card only, no code.
  await page.goto(offerPath);
  await expect(page.getByRole("status").filter({ hasText: "1 seat of standard" })).toHaveText(
    /^1 seat of standard is held for you until .+ \(Paris time\)\. Register and pay before then/,
  );
  const type = page.getByRole("radio", { name: /standard/ });
  await expect(type).toBeChecked();
  await expect(type).toBeEnabled();
  await expect(page.getByRole("radio")).toHaveCount(1);
  const field = (name: string) => page.getByRole("textbox", { name, exact: true });
  await expect(field(LABELS.en.firstName)).toHaveValue("Grace");
  await expect(field(LABELS.en.lastName)).toHaveValue("Hopper");
  await expect(field(LABELS.en.email)).toHaveValue(address);
  await expect(page.getByRole("button", { name: /code/i })).toHaveCount(0);
  await expect(page.getByRole("radio", { name: /transfer/i })).toHaveCount(0);
  await field(LABELS.en.lastName).fill("Brewster Hopper");
  await page.getByRole("button", { name: LABELS.en.submit }).click();

  // "Back" on the checkout: the seat returns to the offer, and the offer's form comes back refilled.
  await expect(page.getByRole("heading", { name: "Checkout (test mode)" })).toBeVisible();
  await page.getByRole("link", { name: "Cancel and go back" }).click();
  await expect(page).toHaveURL(new RegExp(`/en/editions/${edition.slug}/register\\?.*offer=${token}`));
  await expect(page.getByRole("status").filter({ hasText: "Payment cancelled" })).toContainText("still held for you");
  await expect(page.getByRole("status").filter({ hasText: "1 seat of standard" })).toBeVisible();
  await expect(field(LABELS.en.lastName)).toHaveValue("Brewster Hopper");
  await page.getByRole("button", { name: LABELS.en.submit }).click();

  await expect(page.getByRole("heading", { name: "Checkout (test mode)" })).toBeVisible();
  await expect(page.locator(".total")).toContainText("€49.00");
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay/ }).click();
  await expect(page).toHaveURL(/\/en\/orders\/[A-Za-z0-9_-]+\?checkout=success$/);
  await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("Confirmed")).toBeVisible();
  await waitForEmailTo(address, { subject: `Your ticket for ${edition.nameEn}` });
  const orders = await db.order.findMany({ where: { editionId: edition.id, buyerEmail: address } });
  expect(orders.map((order) => [order.status, order.buyerLastName]).sort()).toEqual([
    ["CANCELLED", "Brewster Hopper"],
    ["CONFIRMED", "Brewster Hopper"],
  ]);

  await page.goto(`/en/waiting-list/${token}`);
  await expect(page.getByRole("status")).toHaveText(
    "You registered with the seats offered: your tickets came by email.",
  );
  await page.goto(`/en/editions/${edition.slug}`);
  await expect(page.getByText("Sold out", { exact: true }).first()).toBeVisible();

  // The link again, once converted: no form, what happened and a way to the entry's page; the API says why.
  await page.goto(offerPath);
  await expect(page.getByRole("status")).toContainText("You registered with these seats");
  await expect(page.getByRole("link", { name: "See your place on the waiting list" })).toHaveAttribute(
    "href",
    `/en/waiting-list/${token}`,
  );
  await expect(page.getByRole("button", { name: LABELS.en.submit })).toHaveCount(0);
  const again = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: {
      ticketType: "standard",
      attendee: { firstName: "Grace", lastName: "Hopper", email: uniqueEmail("again") },
      locale: "en",
      offer: token,
    },
  });
  expect(again.status()).toBe(409);
  expect(again.headers()["content-type"]).toContain("application/problem+json");
  expect(await again.json()).toMatchObject({ code: "offer_unavailable", reason: "closed" });
});

test("a forged offer link shows no form, only the way back to the edition (en)", async ({ page, newEdition }) => {
  const edition = await newEdition({ capacity: 1 });
  await page.goto(`/en/editions/${edition.slug}/register?offer=forged-token`);
  await expect(page.getByRole("status")).toContainText("This offer is no longer open");
  await expect(page.getByRole("link", { name: "See the edition" })).toHaveAttribute(
    "href",
    `/en/editions/${edition.slug}`,
  );
  await expect(page.getByRole("button", { name: LABELS.en.submit })).toHaveCount(0);
  await expect(page.getByRole("textbox")).toHaveCount(0);
});
