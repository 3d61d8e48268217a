import { expect, test, uniqueEmail } from "./support/database";
import { waitForEmailTo } from "./support/mailbox";

// The buyer of a team names its last attendee on a phone, in French.
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "fr-FR" });

const person = (label: string) => ({ firstName: "Ada", lastName: label, email: uniqueEmail(label) });

test("the buyer names the third attendee of a group; the attendee's own link shows their ticket alone", async ({
  page,
  request,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 10, ticketTypes: [{ code: "team" }] });
  const first = person("premiere");
  const second = person("deuxieme");
  const created = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: {
      // Addresses as long as real ones get: they must wrap, never widen the page.
      buyer: { ...person("acheteuse-du-service-des-achats-de-la-societe"), company: "Acme" },
      locale: "fr",
      tickets: [
        { ticketType: "team", attendee: first },
        { ticketType: "team", attendee: second },
        { ticketType: "team", attendee: null },
      ],
    },
  });
  expect(created.status()).toBe(201);
  const order = await created.json();
  expect(order.status).toBe("confirmed");

  await page.goto(new URL(order.confirmationUrl).pathname);
  const third = page.getByTestId("order-ticket-3");
  await expect(third).toHaveAttribute("data-state", "unnamed");
  await expect(page.getByTestId("order-ticket-1")).toContainText(first.email);

  const named = person("troisieme-participante-au-nom-compose");
  await third.locator("#ticket-3-attendee-firstName").fill("Grace");
  await third.locator("#ticket-3-attendee-lastName").fill("Hopper");
  await third.locator("#ticket-3-attendee-email").fill(named.email);
  await third.getByRole("button", { name: "Enregistrer le participant" }).click();
  await expect(third.getByText(`Enregistré : le billet part vers ${named.email}.`)).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("order-ticket-3")).toHaveAttribute("data-state", "named");
  await expect(page.getByTestId("order-ticket-3")).toContainText("Grace Hopper");
  const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
  // Nothing wider than the phone's screen.
  // Once laid out with its own fonts: a page measured mid-load can be wider for a moment.
  await page.evaluate(() => document.fonts.ready);
  await expect.poll(pageWidth).toBeLessThanOrEqual(390);

  const mail = await waitForEmailTo(named.email);
  expect(mail.subject).toBe(`Votre billet pour ${edition.nameFr}`);
  const link = mail.text?.match(/https?:\/\/\S+\/tickets\/[A-Za-z0-9_-]+/)?.[0];
  expect(link).toBeDefined();
  expect(mail.text).not.toContain(new URL(order.confirmationUrl).pathname);

  await page.goto(new URL(link!).pathname);
  await expect(page.getByRole("heading", { level: 1, name: `Votre billet pour ${edition.nameFr}` })).toBeVisible();
  await expect(page.getByRole("img", { name: "QR code du billet de Grace Hopper" })).toBeVisible();
  await expect(page.getByTestId("own-ticket-holder")).toContainText(named.email);
  for (const other of [first.email, second.email]) await expect(page.locator("main")).not.toContainText(other);
  // Once laid out with its own fonts: a page measured mid-load can be wider for a moment.
  await page.evaluate(() => document.fonts.ready);
  await expect.poll(pageWidth).toBeLessThanOrEqual(390);
});
