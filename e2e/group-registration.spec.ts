import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { waitForEmailTo } from "./support/mailbox";
import { LABELS } from "./support/registration-form";

const NBSP = "\u00a0";

const shot = (page: Page, info: TestInfo, name: string) =>
  page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });

// Measured once the page is laid out with its own fonts, and until it settles (never by a fixed sleep).
async function expectNoHorizontalScroll(page: Page) {
  await page.evaluate(() => document.fonts.ready);
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await expect.poll(overflow, { message: page.url() }).toBeLessThanOrEqual(0);
}

async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`)).toEqual(
    [],
  );
}

/** Fills one person's fields inside a block of the group form (the buyer's or a ticket's), by their labels. */
async function fillPerson(
  page: Page,
  block: string,
  locale: "fr" | "en",
  person: { firstName: string; lastName: string; email: string; company?: string },
) {
  const group = page.getByRole("group", { name: block });
  const field = (name: string) => group.getByRole("textbox", { name, exact: true });
  await field(LABELS[locale].firstName).fill(person.firstName);
  await field(LABELS[locale].lastName).fill(person.lastName);
  await field(LABELS[locale].email).fill(person.email);
  if (person.company) await field(LABELS[locale].company).fill(person.company);
}

test.describe("on a 390 px phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("buys 3 tickets of 2 paid types and a free one, the buyer among them, and pays with 4242 (fr)", async ({
    page,
    db,
  }, info) => {
    const buyer = { firstName: "Jeanne", lastName: "Martin", email: uniqueEmail("group-buyer"), company: "Acme" };
    const second = { firstName: "Ada", lastName: "Lovelace", email: uniqueEmail("group-ada") };
    const third = { firstName: "Alan", lastName: "Turing", email: uniqueEmail("group-alan") };
    await page.goto(`/fr/editions/${DEMO_EDITION}/register?ticket=standard`);
    await shot(page, info, "single-fr-phone-group-offer");
    await page.getByText("Inscrire plusieurs personnes (commande de groupe)").tap();
    await expect(page.getByRole("combobox", { name: "Standard", exact: true })).toHaveValue("1");
    await expect(page.getByText(/^49,00\s€ · \d+ places restantes$/)).toBeVisible();
    await page.getByRole("combobox", { name: "Communauté (étudiant·e·s, sans emploi)" }).selectOption("1");
    await page.getByRole("combobox", { name: "Soutien" }).selectOption("1");
    await page.getByRole("button", { name: "Mettre à jour les billets" }).tap();

    const blocks = ["Standard", "Communauté (étudiant·e·s, sans emploi)", "Soutien"].map(
      (type, index) => `Billet ${index + 1} sur 3 : ${type}`,
    );
    for (const block of blocks) await expect(page.getByRole("group", { name: block })).toBeVisible();
    await expectNoHorizontalScroll(page);

    await fillPerson(page, "Vos coordonnées (acheteur·se)", "fr", buyer);
    await page.getByRole("checkbox", { name: "C’est moi : je participe avec ce billet" }).check();
    const first = page.getByRole("group", { name: blocks[0] });
    await expect(first.getByRole("textbox", { name: "Prénom", exact: true })).toHaveValue("Jeanne");
    await expect(first.getByRole("textbox", { name: "E-mail", exact: true })).toHaveValue(buyer.email);
    await fillPerson(page, blocks[1], "fr", second);
    // The third attendee is typed with the second one's address, and nobody ticks the code of conduct yet.
    await fillPerson(page, blocks[2], "fr", { ...third, email: second.email });
    await page.getByRole("button", { name: "Commander 3 billets" }).tap();

    const thirdEmail = page
      .getByRole("group", { name: blocks[2] })
      .getByRole("textbox", { name: "E-mail", exact: true });
    await expect(thirdEmail).toHaveAccessibleDescription(
      /Un autre billet de cette commande est déjà pour cette adresse/,
    );
    const summary = page.getByRole("navigation", { name: "4 champs sont à corriger :" });
    await expect(summary.getByRole("link")).toHaveText([
      "Billet 1 : J’accepte le code de conduite de la conférence",
      "Billet 2 : J’accepte le code de conduite de la conférence",
      "Billet 3 : E-mail",
      "Billet 3 : J’accepte le code de conduite de la conférence",
    ]);
    // Focus lands on the first field to correct: the first ticket's code of conduct.
    await expect(first.getByRole("checkbox", { name: LABELS.fr.coc })).toBeFocused();
    await expectNoHorizontalScroll(page);
    await shot(page, info, "group-fr-phone-errors");

    await thirdEmail.fill(third.email);
    for (const block of blocks) {
      await page.getByRole("group", { name: block }).getByRole("checkbox", { name: LABELS.fr.coc }).check();
    }
    await page.getByRole("button", { name: "Commander 3 billets" }).tap();

    // One Checkout Session for the order: 49 € + 150 € (the free ticket adds nothing).
    await expect(page.getByRole("heading", { name: "Paiement (mode test)" })).toBeVisible();
    await expect(page.locator(".total")).toContainText(`199,00${NBSP}€`);
    // Going back from the payment page brings the whole group back, as typed.
    await page.getByRole("link", { name: "Annuler et revenir" }).tap();
    await expect(
      page.getByRole("group", { name: blocks[2] }).getByRole("textbox", { name: "Nom", exact: true }),
    ).toHaveValue("Turing");
    await expect(page.getByRole("checkbox", { name: "C’est moi : je participe avec ce billet" })).toBeChecked();
    await expect(
      page
        .getByRole("group", { name: "Vos coordonnées (acheteur·se)" })
        .getByRole("textbox", { name: "Entreprise ou organisation (facultatif)" }),
    ).toHaveValue("Acme");
    await page.getByRole("button", { name: "Commander 3 billets" }).tap();
    await expect(page.locator(".total")).toContainText(`199,00${NBSP}€`);
    await page.getByLabel("Numéro de carte").fill("4242 4242 4242 4242");
    await page.getByLabel("Expiration (MM/AA)").fill("12/34");
    await page.getByLabel("CVC").fill("123");
    await page.getByRole("button", { name: /^Payer/ }).tap();

    await expect(page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible({
      timeout: 15_000,
    });
    for (const person of [buyer, second, third]) {
      await expect(page.getByTestId("order-tickets")).toContainText(`${person.firstName} ${person.lastName}`);
    }
    await expectNoHorizontalScroll(page);
    await shot(page, info, "group-fr-phone-confirmed");
    const order = await db.order.findFirstOrThrow({
      where: { buyerEmail: buyer.email, status: "CONFIRMED" },
      include: { tickets: { orderBy: { position: "asc" }, include: { ticketType: true } } },
    });
    expect(order).toMatchObject({ status: "CONFIRMED", amountCents: 19_900, buyerCompany: "Acme", locale: "fr" });
    expect(order.tickets.map((ticket) => [ticket.position, ticket.ticketType.code, ticket.email])).toEqual([
      [1, "standard", buyer.email],
      [2, "community", second.email],
      [3, "supporter", third.email],
    ]);
    const mail = await waitForEmailTo(buyer.email);
    expect(mail.subject).toContain("Open Cloud Paris #12");
    expect(mail.text).toContain(`199,00${NBSP}€`);
  });
});

test("registers a free group of 2, the buyer not attending, confirmed at once (en)", async ({ page, db }, info) => {
  const buyer = { firstName: "Office", lastName: "Manager", email: uniqueEmail("free-group-buyer") };
  const attendees = [
    { firstName: "Grace", lastName: "Hopper", email: uniqueEmail("free-group-grace") },
    { firstName: "Katherine", lastName: "Johnson", email: uniqueEmail("free-group-katherine") },
  ];
  await page.goto(`/en/editions/${DEMO_EDITION}/register?ticket=community`);
  await page.getByText("Register several people (group order)").click();
  await page.getByRole("combobox", { name: "Community (students, job seekers)" }).selectOption("2");
  await page.getByRole("button", { name: "Update the tickets" }).click();

  const blocks = [1, 2].map((position) => `Ticket ${position} of 2: Community (students, job seekers)`);
  await fillPerson(page, "Your details (buyer)", "en", buyer);
  for (const [index, block] of blocks.entries()) {
    await fillPerson(page, block, "en", attendees[index]);
    await page.getByRole("group", { name: block }).getByRole("checkbox", { name: LABELS.en.coc }).check();
  }
  await page.getByRole("group", { name: blocks[1] }).getByLabel("T-shirt size").selectOption("l");
  await page.getByRole("button", { name: "Order 2 tickets" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible();
  for (const person of attendees) {
    await expect(page.getByTestId("order-tickets")).toContainText(`${person.firstName} ${person.lastName}`);
  }
  await shot(page, info, "group-en-free-confirmed");
  const order = await db.order.findFirstOrThrow({
    where: { buyerEmail: buyer.email },
    include: { tickets: { orderBy: { position: "asc" } } },
  });
  expect(order).toMatchObject({ status: "CONFIRMED", amountCents: 0, locale: "en" });
  expect(order.tickets.map((ticket) => [ticket.email, ticket.answers])).toEqual([
    [attendees[0].email, { coc: true }],
    [attendees[1].email, { coc: true, tshirt: "l" }],
  ]);
  const mail = await waitForEmailTo(buyer.email);
  expect(mail.subject).toContain("Open Cloud Paris #12");
});

test("a buyer leaves the second ticket to be named later; it waits, unnamed, on the order page (fr)", async ({
  page,
  db,
}) => {
  const buyer = { firstName: "Jeanne", lastName: "Martin", email: uniqueEmail("later-buyer") };
  const first = { firstName: "Ada", lastName: "Lovelace", email: uniqueEmail("later-ada") };
  await page.goto(`/fr/editions/${DEMO_EDITION}/register?quantity.community=2`);
  const blocks = [1, 2].map((position) => `Billet ${position} sur 2 : Communauté (étudiant·e·s, sans emploi)`);
  await fillPerson(page, "Vos coordonnées (acheteur·se)", "fr", buyer);
  await fillPerson(page, blocks[0], "fr", first);
  await page.getByRole("group", { name: blocks[0] }).getByRole("checkbox", { name: LABELS.fr.coc }).check();
  const second = page.getByRole("group", { name: blocks[1] });
  await second.getByRole("checkbox", { name: "Je nommerai cette personne plus tard" }).check();
  // Its attendee's fields step aside; nothing in them is asked for.
  await expect(second.getByLabel("Prénom", { exact: true })).toBeHidden();
  await page.getByRole("button", { name: "Commander 2 billets" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible();
  await expect(page.getByTestId("order-ticket-2")).toHaveAttribute("data-state", "unnamed");
  // The order's email went to the buyer; tickets go to the attendees named.
  await expect(
    page.getByText(`La confirmation de votre commande a été envoyée par e-mail à ${buyer.email}`),
  ).toBeVisible();
  const order = await db.order.findFirstOrThrow({
    where: { buyerEmail: buyer.email },
    include: { tickets: { orderBy: { position: "asc" } } },
  });
  expect(order.tickets.map((ticket) => ticket.email)).toEqual([first.email, null]);
});

test("a group larger than the seats left is told how many remain, and nothing is held (en)", async ({
  page,
  db,
  newEdition,
  request,
}) => {
  const edition = await newEdition({ capacity: 3 });
  await page.goto(`/en/editions/${edition.slug}/register?quantity.free=3`);
  const blocks = [1, 2, 3].map((position) => `Ticket ${position} of 3: free`);
  await fillPerson(page, "Your details (buyer)", "en", { firstName: "B", lastName: "Uyer", email: uniqueEmail("b") });
  for (const block of blocks) {
    await fillPerson(page, block, "en", { firstName: "A", lastName: "Ttendee", email: uniqueEmail("a") });
  }
  // Someone else takes a seat while the group is being typed.
  const other = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: { ticketType: "free", attendee: { firstName: "Quick", lastName: "One", email: uniqueEmail("quick") } },
  });
  expect(other.status()).toBe(201);
  await page.getByRole("button", { name: "Order 3 tickets" }).click();

  await expect(page.getByRole("alert").first()).toHaveText(
    "Not enough seats for this order: only 2 are left. Nothing was booked.",
  );
  await expect(page.getByText("free: only 2 left")).toBeVisible();
  expect(await db.ticket.count({ where: { editionId: edition.id } })).toBe(1);
});

test("an attendee already registered is flagged on their own ticket, and nothing is booked (en)", async ({
  page,
  db,
  newEdition,
  request,
}) => {
  const edition = await newEdition({ capacity: 10 });
  const registered = uniqueEmail("already");
  const earlier = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: { ticketType: "free", attendee: { firstName: "Early", lastName: "Bird", email: registered } },
  });
  expect(earlier.status()).toBe(201);
  await page.goto(`/en/editions/${edition.slug}/register?quantity.free=2`);
  const blocks = [1, 2].map((position) => `Ticket ${position} of 2: free`);
  await fillPerson(page, "Your details (buyer)", "en", { firstName: "B", lastName: "Uyer", email: registered });
  await fillPerson(page, blocks[0], "en", { firstName: "New", lastName: "Comer", email: uniqueEmail("new") });
  await fillPerson(page, blocks[1], "en", { firstName: "Early", lastName: "Bird", email: registered });
  await page.getByRole("button", { name: "Order 2 tickets" }).click();

  const email = page.getByRole("group", { name: blocks[1] }).getByRole("textbox", { name: "Email", exact: true });
  await expect(email).toHaveAccessibleDescription(/This email address already holds a ticket for this edition\./);
  await expect(email).toBeFocused();
  await expect(page.getByRole("navigation", { name: "One field needs your attention:" }).getByRole("link")).toHaveText(
    "Ticket 2: Email",
  );
  expect(await db.ticket.count({ where: { editionId: edition.id } })).toBe(1);
});

for (const locale of ["fr", "en"] as const) {
  test(`the group form showing its errors passes axe (${locale})`, async ({ page }) => {
    await page.goto(`/${locale}/editions/${DEMO_EDITION}/register?quantity.standard=1&quantity.community=1`);
    await page.getByRole("button", { name: locale === "fr" ? "Commander 2 billets" : "Order 2 tickets" }).click();
    await expect(page.locator(".error-summary a").first()).toBeVisible();
    await expect(page.locator(".field-error").first()).toBeVisible();
    await expectNoSeriousViolations(page);
  });
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the quantities re-render the blocks and the group registers as a plain form post (fr)", async ({
    page,
    db,
  }) => {
    const buyer = { firstName: "Sans", lastName: "Script", email: uniqueEmail("nojs-buyer") };
    await page.goto(`/fr/editions/${DEMO_EDITION}/register?ticket=community`);
    await page.getByText("Inscrire plusieurs personnes (commande de groupe)").click();
    await page.getByRole("combobox", { name: "Communauté (étudiant·e·s, sans emploi)" }).selectOption("2");
    await page.getByRole("button", { name: "Mettre à jour les billets" }).click();

    const blocks = [1, 2].map((position) => `Billet ${position} sur 2 : Communauté (étudiant·e·s, sans emploi)`);
    await fillPerson(page, "Vos coordonnées (acheteur·se)", "fr", buyer);
    // "This is me" with the first block left empty: the server takes the buyer's details for it.
    await page.getByRole("checkbox", { name: "C’est moi : je participe avec ce billet" }).check();
    await fillPerson(page, blocks[1], "fr", { firstName: "Hors", lastName: "Ligne", email: uniqueEmail("nojs-2") });
    for (const block of blocks) {
      await page.getByRole("group", { name: block }).getByRole("checkbox", { name: LABELS.fr.coc }).check();
    }
    await page.getByRole("button", { name: "Commander 2 billets" }).click();

    await expect(page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible();
    const order = await db.order.findFirstOrThrow({
      where: { buyerEmail: buyer.email },
      include: { tickets: { orderBy: { position: "asc" } } },
    });
    expect(order.status).toBe("CONFIRMED");
    expect(order.tickets.map((ticket) => `${ticket.firstName} ${ticket.lastName}`)).toEqual([
      "Sans Script",
      "Hors Ligne",
    ]);
  });
});
