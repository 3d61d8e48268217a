import AxeBuilder from "@axe-core/playwright";
import { getSeatUsage } from "@/lib/capacity/seats";
import { expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";
import { orderLinkIn, waitForEmailTo } from "./support/mailbox";

test("an organiser gives a sponsor 3 tickets on a phone: one theirs, one named, one to name later (en)", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const edition = await newEdition({
    capacity: 10,
    status: "CLOSED",
    // A type the public never sees, given only by the organisers.
    ticketTypes: [
      { code: "standard", priceCents: 4900 },
      { code: "sponsor", active: false },
    ],
  });
  const sponsor = uniqueEmail("sponsor");
  const colleague = uniqueEmail("colleague");
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/attendees`);

  const recipient = page.getByRole("group", { name: "Recipient" });
  await recipient.getByRole("textbox", { name: "First name", exact: true }).fill("Jeanne");
  await recipient.getByRole("textbox", { name: "Last name", exact: true }).fill("Martin");
  await recipient.getByRole("textbox", { name: "Email", exact: true }).fill(sponsor);
  await recipient.getByRole("textbox", { name: "Company or organisation (optional)" }).fill("Acme");
  await recipient.getByLabel("Email language").selectOption("en");
  await page.getByRole("spinbutton", { name: "standard", exact: true }).fill("2");
  await page.getByRole("spinbutton", { name: "sponsor (not on public sale)" }).fill("1");

  const second = page.getByRole("group", { name: "Ticket 2 of 3: standard" });
  await second.getByRole("textbox", { name: "First name", exact: true }).fill("Ada");
  await second.getByRole("textbox", { name: "Last name", exact: true }).fill("Lovelace");
  await second.getByRole("textbox", { name: "Email", exact: true }).fill(colleague);
  const third = page.getByRole("group", { name: "Ticket 3 of 3: sponsor" });
  await third.getByLabel("Name this attendee later").check();
  await expect(third.locator("input[name='tickets.2.attendee.firstName']")).toBeHidden();
  // Ticket 1 is the recipient's own: its attendee fields step aside.
  await expect(
    page.getByRole("group", { name: "Ticket 1 of 3: standard" }).getByLabel("The recipient uses this ticket"),
  ).toBeChecked();
  const section = page.locator("section[aria-labelledby='complimentary-title']");
  // Nothing of the form runs off a 390 px screen.
  expect(await section.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  expect((await section.boundingBox())?.width).toBeLessThanOrEqual(390);
  expect(
    (await new AxeBuilder({ page }).include("section[aria-labelledby='complimentary-title']").analyze()).violations,
  ).toEqual([]);

  await page.getByRole("button", { name: "Give 3 tickets" }).click();
  await expect(page.getByRole("heading", { level: 2, name: /^Order [0-9A-Z]{4}-[0-9A-Z]{4}/ })).toBeVisible();
  const table = page.getByRole("table", { name: "Tickets of this order" });
  await expect(table.getByRole("row")).toHaveCount(4);
  await expect(table.getByRole("link", { name: "Jeanne Martin" })).toBeVisible();
  await expect(table.getByRole("link", { name: "Ada Lovelace" })).toBeVisible();

  const order = await db.order.findFirstOrThrow({ where: { editionId: edition.id }, include: { tickets: true } });
  expect(order).toMatchObject({ status: "CONFIRMED", amountCents: 0, statusReason: "complimentary" });
  expect(order.tickets.map((ticket) => ticket.email).sort()).toEqual([colleague, sponsor, null].sort());
  // The recipient gets the order with its link (where the third ticket is named); the colleague their own ticket.
  expect(orderLinkIn(await waitForEmailTo(sponsor))).toBe(`/en/orders/${order.accessToken}`);
  await waitForEmailTo(colleague);
});

test("a group larger than the seats left is refused with how many are left, and nothing is given (fr)", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 2 });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/attendees`);

  const recipient = page.getByRole("group", { name: "Bénéficiaire" });
  await recipient.getByRole("textbox", { name: "Prénom", exact: true }).fill("Jeanne");
  await recipient.getByRole("textbox", { name: "Nom", exact: true }).fill("Martin");
  await recipient.getByRole("textbox", { name: "E-mail", exact: true }).fill(uniqueEmail("sponsor"));
  await page.getByRole("spinbutton", { name: "free", exact: true }).fill("3");
  for (const position of [2, 3]) {
    await page
      .getByRole("group", { name: `Billet ${position} sur 3\u00a0: free` })
      .getByLabel("Nommer ce participant plus tard")
      .check();
  }
  await page.getByRole("button", { name: "Offrir 3 billets" }).click();

  const section = page.locator("section[aria-labelledby='complimentary-title']");
  await expect(section.getByRole("alert")).toHaveText(
    "Pas assez de places\u00a0: il n’en reste que 2. Rien n’a été offert.",
  );
  await expect(page.getByText("free\u00a0: plus que 2 places")).toBeVisible();
  // What was typed stays, to give fewer.
  await expect(recipient.getByRole("textbox", { name: "Prénom", exact: true })).toHaveValue("Jeanne");
  expect(await db.order.count({ where: { editionId: edition.id } })).toBe(0);
  const usage = await getSeatUsage(db, edition.id);
  expect(usage.confirmed + usage.held).toBe(0);
});
