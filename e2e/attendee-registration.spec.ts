import type { Page } from "@playwright/test";
import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { orderLinkIn, waitForEmailTo } from "./support/mailbox";
import { fillAttendee, LABELS } from "./support/registration-form";
import { doorVerdict } from "@/lib/checkin/scan";
import { ticketKeysFrom } from "@/lib/tickets/codes";
import { problemOf } from "./support/problem";

const NBSP = "\u00a0";

for (const locale of ["fr", "en"] as const) {
  test(`registers for a free ticket from the home page (${locale})`, async ({ page, db }) => {
    const email = uniqueEmail(`free-${locale}`);
    const text = {
      fr: {
        community: "S’inscrire : Communauté (étudiant·e·s, sans emploi)",
        done: "Vous êtes inscrit·e !",
        status: "Confirmée",
        free: "Gratuit",
      },
      en: {
        community: "Register: Community (students, job seekers)",
        done: "You are registered!",
        status: "Confirmed",
        free: "Free",
      },
    }[locale];

    await page.goto(`/${locale}`);
    await page.getByRole("link", { name: "Open Cloud Paris #12" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Open Cloud Paris #12" })).toBeVisible();
    await page.getByRole("link", { name: text.community }).click();

    await expect(page.getByRole("radio", { name: /Communauté|Community/ })).toBeChecked();
    await fillAttendee(page, locale, { firstName: "Grace", lastName: "Hopper", email, company: "Navy" });
    await page.getByLabel(locale === "fr" ? "Taille de t-shirt" : "T-shirt size").selectOption("m");
    await page.getByRole("checkbox", { name: LABELS[locale].coc }).check();
    await page.getByRole("button", { name: LABELS[locale].submit }).click();

    await expect(page.getByRole("heading", { level: 1, name: text.done })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/${locale}/orders/[A-Za-z0-9_-]{32}$`));
    await expect(page.locator(".reference")).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expect(page.getByText(text.status)).toBeVisible();
    await expect(page.locator(".summary").getByText(email)).toBeVisible();
    // The QR carries a code signed with the app's key, valid for this very ticket.
    const qr = page.getByRole("img", { name: /Grace Hopper/ });
    await expect(qr.locator("svg")).toBeVisible();
    const code = await qr.getAttribute("data-ticket-code");
    const edition = await db.edition.findUniqueOrThrow({ where: { slug: DEMO_EDITION } });
    const verdict = await doorVerdict(db, ticketKeysFrom(process.env.TICKET_SIGNING_KEY!).verifyKeys, edition.id, {
      code: code ?? "",
    });
    expect(verdict.kind).toBe("admissible");

    // The confirmation email arrives over SMTP, in the page's language, and its link opens this order.
    const mail = await waitForEmailTo(email);
    expect(mail.subject).toBe(
      locale === "fr" ? "Votre billet pour Open Cloud Paris #12" : "Your ticket for Open Cloud Paris #12",
    );
    expect(mail.attachments.map((attachment) => attachment.contentType).sort()).toEqual([
      "application/pdf",
      "image/png",
    ]);
    await page.goto(orderLinkIn(mail));
    await expect(page.getByRole("heading", { level: 1, name: text.done })).toBeVisible();

    // Other specs register and cancel on the demo edition in parallel: the page shows the count as it is, between
    // what the public API says just before and just after it.
    const around = [await apiCommunitySeatsLeft(page)];
    await page.goto(`/${locale}/editions/${DEMO_EDITION}`);
    const shown = await communitySeatsLeft(page);
    around.push(await apiCommunitySeatsLeft(page));
    expect(shown).toBeGreaterThanOrEqual(Math.min(...around));
    expect(shown).toBeLessThanOrEqual(Math.max(...around));
  });
}

async function apiCommunitySeatsLeft(page: Page): Promise<number> {
  const edition = await (await page.request.get(`/api/v1/editions/${DEMO_EDITION}`)).json();
  return edition.ticketTypes.find((type: { code: string }) => type.code === "community").seatsLeft;
}

async function communitySeatsLeft(page: Page): Promise<number> {
  const text = await page
    .locator(".ticket-type", { hasText: /Communauté|Community/ })
    .locator(".badge")
    .innerText();
  return Number(text.replace(/\D/g, ""));
}

test("an address already registered is told so and offered its ticket again, by email (en)", async ({
  page,
  request,
}) => {
  const email = uniqueEmail("twice");
  const first = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
    data: {
      ticketType: "community",
      attendee: { firstName: "Ada", lastName: "Twice", email },
      answers: { coc: true },
      locale: "en",
    },
  });
  expect(first.status()).toBe(201);
  await waitForEmailTo(email);

  await page.goto(`/en/editions/${DEMO_EDITION}/register?ticket=community`);
  await fillAttendee(page, "en", { firstName: "Ada", lastName: "Twice", email });
  await page.getByRole("checkbox", { name: LABELS.en.coc }).check();
  await page.getByRole("button", { name: LABELS.en.submit }).click();
  await expect(page.getByText("This email address is already registered for this edition.")).toBeVisible();
  await expect(page.getByText(`Lost the ticket for ${email}? We can send it to that address again.`)).toBeVisible();
  await page.getByRole("button", { name: "Send the ticket again" }).click();
  await expect(
    page.getByText("If this address has a ticket for this edition, we have just sent it.", { exact: false }),
  ).toBeVisible();
  const resent = await waitForEmailTo(email, { nth: 2 });
  await page.goto(orderLinkIn(resent));
  await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible();
});

test("shows prices in euros the way each language writes them", async ({ page }) => {
  await page.goto(`/fr/editions/${DEMO_EDITION}`);
  await expect(page.locator(".ticket-type", { hasText: "Standard" }).locator(".price")).toHaveText(`49,00${NBSP}€`);
  await page.getByRole("link", { name: "English" }).click();
  await expect(page).toHaveURL(new RegExp(`/en/editions/${DEMO_EDITION}$`));
  await expect(page.locator(".ticket-type", { hasText: "Standard" }).locator(".price")).toHaveText("€49.00");
  await expect(page.locator(".ticket-type", { hasText: "Early bird" })).toContainText("Sales ended");
});

test("refuses bad input with messages beside each field, keeps what was typed, and books nothing", async ({
  page,
  db,
  newEdition,
}) => {
  const edition = await newEdition({
    capacity: 10,
    ticketTypes: [{ code: "day-pass" }, { code: "workshop" }],
    questions: [{ key: "coc", type: "CHECKBOX", required: true }],
  });
  await page.goto(`/en/editions/${edition.slug}/register?ticket=workshop`);
  await page.getByRole("textbox", { name: "First name", exact: true }).fill("Ada");
  await page.getByRole("textbox", { name: "Email", exact: true }).fill("not-an-email");
  await page.getByRole("button", { name: "Register" }).click();

  await expect(page.getByRole("alert").first()).toHaveText("Some fields need your attention: see the messages below.");
  await expect(page.getByRole("textbox", { name: "Last name", exact: true })).toHaveAccessibleDescription(
    "This field is required.",
  );
  await expect(page.getByRole("textbox", { name: "Email", exact: true })).toHaveAccessibleDescription(
    /Enter a valid email address/,
  );
  await expect(page.getByRole("checkbox", { name: "coc" })).toHaveAccessibleDescription(
    "You need to tick this box to register.",
  );
  await expect(page.getByRole("textbox", { name: "First name", exact: true })).toHaveValue("Ada");
  await expect(page.getByRole("textbox", { name: "Email", exact: true })).toHaveValue("not-an-email");
  await expect(page.getByRole("radio", { name: /workshop/ })).toBeChecked();
  expect(await db.order.count({ where: { editionId: edition.id } })).toBe(0);

  // Fixing the form then succeeds.
  await page.getByRole("textbox", { name: "Last name", exact: true }).fill("Lovelace");
  await page.getByRole("textbox", { name: "Email", exact: true }).fill(uniqueEmail("fixed"));
  await page.getByRole("checkbox", { name: "coc" }).check();
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible();
  const tickets = await db.ticket.findMany({ where: { editionId: edition.id }, include: { ticketType: true } });
  expect(tickets.map((ticket) => [ticket.lastName, ticket.ticketType.code, ticket.answers])).toEqual([
    ["Lovelace", "workshop", { coc: true }],
  ]);
});

test("says sold out on the edition page and on a form submitted after the last seat went", async ({
  page,
  newEdition,
  request,
}) => {
  const edition = await newEdition({ capacity: 1 });
  await page.goto(`/fr/editions/${edition.slug}/register`);
  await fillAttendee(page, "fr", { firstName: "Late", lastName: "Comer", email: uniqueEmail("late") });

  // Someone else takes the last seat while this person is typing.
  const other = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: { ticketType: "free", attendee: { firstName: "Quick", lastName: "One", email: uniqueEmail("quick") } },
  });
  expect(other.status()).toBe(201);

  await page.getByRole("button", { name: "S’inscrire" }).click();
  await expect(page.getByRole("alert").first()).toHaveText("Désolé, ce billet est complet. Rien n’a été réservé.");
  await expect(page.getByRole("textbox", { name: "Nom", exact: true })).toHaveValue("Comer");

  await page.goto(`/fr/editions/${edition.slug}`);
  await expect(page.locator(".ticket-type .badge")).toHaveText("Complet");
  await expect(page.getByRole("link", { name: /S’inscrire/ })).toHaveCount(0);
});

test("does not sell a ticket outside its sales window", async ({ page, newEdition, request }) => {
  const edition = await newEdition({
    capacity: 10,
    ticketTypes: [
      { code: "closed-window", salesEndAt: new Date(Date.now() - 60_000) },
      { code: "later", salesStartAt: new Date(Date.now() + 86_400_000) },
    ],
  });
  await page.goto(`/en/editions/${edition.slug}`);
  await expect(page.locator(".ticket-type", { hasText: "closed-window" })).toContainText("Sales ended");
  await expect(page.locator(".ticket-type", { hasText: "later" })).toContainText("On sale from");
  await expect(page.getByRole("link", { name: /^Register/ })).toHaveCount(0);

  await page.goto(`/en/editions/${edition.slug}/register?ticket=closed-window`);
  await expect(page.getByText("No tickets are on sale for this edition.")).toBeVisible();

  const crafted = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: { ticketType: "closed-window", attendee: { firstName: "A", lastName: "B", email: uniqueEmail("window") } },
  });
  expect(crafted.status()).toBe(409);
  expect(await crafted.json()).toEqual(problemOf(409, "ended"));
});

test("redirects / to the visitor's language and 404s unknown editions in it", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page).toHaveURL(/\/en$/);
  await expect(page.getByRole("heading", { level: 1, name: "Upcoming editions" })).toBeVisible();
  const missing = await page.goto("/en/editions/no-such-edition");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await context.close();
});
