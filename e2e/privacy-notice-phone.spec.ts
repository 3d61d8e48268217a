import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test, uniqueEmail } from "./support/database";

async function expectNoViolations(page: Page) {
  // Next streams a page's metadata after its body: axe must not read the document before its title has come.
  await expect(page).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`),
  ).toEqual([]);
}

const NOTICE = {
  fr: { link: "politique de confidentialité", title: "Politique de confidentialité", rights: "Vos droits" },
  en: { link: "privacy notice", title: "Privacy notice", rights: "Your rights" },
} as const;

for (const locale of ["fr", "en"] as const) {
  test(`in ${locale} on a phone: the registration form's privacy line opens the notice`, async ({
    page,
    newEdition,
  }) => {
    const edition = await newEdition({ capacity: 10 });
    await page.goto(`/${locale}/editions/${edition.slug}/register`);
    await page.getByRole("link", { name: NOTICE[locale].link, exact: true }).first().tap();
    await expect(page).toHaveURL(`/${locale}/privacy`);
    await expect(page.getByRole("heading", { level: 1, name: NOTICE[locale].title })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: NOTICE[locale].rights })).toBeVisible();
    await expect(page.getByRole("link", { name: "CNIL" })).toHaveAttribute("href", /^https:\/\/www\.cnil\.fr\//);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expectNoViolations(page);
    await page.screenshot({ path: `test-results/privacy-notice-${locale}.png`, fullPage: true });
  });
}

test("every public form that asks for personal data has the privacy line", async ({
  page,
  request,
  db,
  newEdition,
}) => {
  const edition = await newEdition({
    capacity: 10,
    ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
    questions: [{ key: "diet", type: "TEXT" }],
  });
  const soldOut = await newEdition({ capacity: 1 });
  const placed = async (slug: string, data: object) => {
    const response = await request.post(`/api/v1/editions/${slug}/registrations`, { data });
    expect(response.status()).toBe(201);
    const { orderId } = await response.json();
    return db.order.findUniqueOrThrow({
      where: { id: orderId },
      include: { tickets: { orderBy: { position: "asc" } } },
    });
  };
  const person = (label: string) => ({ firstName: "Ada", lastName: "Lovelace", email: uniqueEmail(label) });
  await placed(soldOut.slug, { ticketType: "free", attendee: person("privacy-full") });
  const solo = await placed(edition.slug, { ticketType: "free", attendee: person("privacy-solo") });
  const group = await placed(edition.slug, {
    buyer: person("privacy-buyer"),
    tickets: [
      { ticketType: "free", attendee: person("privacy-named") },
      { ticketType: "free", attendee: null },
    ],
  });

  // Each page, and how many forms on it at least ask for a person's details (each must carry the line).
  const pages: [string, number][] = [
    [`/en/editions/${edition.slug}/register`, 2], // registration, "registered before?"
    [`/en/editions/${edition.slug}/register?ticket=paid`, 2], // with the organisation's billing fields
    [`/fr/editions/${edition.slug}/register?quantity.free=2`, 2], // group registration
    [`/en/editions/${edition.slug}`, 1], // lost ticket
    [`/fr/editions/${soldOut.slug}`, 2], // waiting list, lost ticket
    [`/en/orders/${solo.accessToken}`, 2], // the attendee's details, transfer
    [`/en/orders/${group.accessToken}`, 1], // naming the unnamed ticket
    [`/fr/tickets/${group.tickets[0].accessToken}`, 2], // a group attendee's details, transfer
  ];
  for (const [path, expected] of pages) {
    await page.goto(path);
    const forms = page.locator("form").filter({ has: page.locator("input[type=email], input[name$='Name']") });
    // At least those: a page may show more (a form per ticket), and each of them must carry the line too.
    await expect(forms.nth(expected - 1), path).toBeAttached();
    for (const form of await forms.all()) {
      await expect(form.locator(`a[href="${path.slice(0, 3)}/privacy"]`), path).toHaveCount(1);
    }
    await expect(page.locator("footer").getByRole("link"), path).toHaveAttribute("href", `${path.slice(0, 3)}/privacy`);
  }
});
