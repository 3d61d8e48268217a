import AxeBuilder from "@axe-core/playwright";
import { holdSeats, lapseHolds } from "@/devtools/testing/waitlist";
import { joinWaitingList } from "@/lib/waitlist/join";
import { expect, test, uniqueEmail } from "./support/database";

// A group's offer opened on a phone, in French: two seats held, the group form for them, fewer on request.
test("opens a group's offer on a phone: two seats held, the buyer's details filled, fewer possible (fr)", async ({
  page,
  db,
  newEdition,
  request,
}) => {
  const edition = await newEdition({ capacity: 2, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  const held = await holdSeats(db, edition, 2);
  const address = uniqueEmail("group-offer");
  const joined = await joinWaitingList(
    db,
    edition.slug,
    { name: "Marie Curie", email: address, locale: "fr", seats: "3", acceptsFewer: "on", ticketTypes: ["standard"] },
    {},
  );
  if (!joined.ok) throw new Error(JSON.stringify(joined));
  await lapseHolds(db, [held]);
  const entry = await db.waitingListEntry.findFirstOrThrow({ where: { email: address } });
  expect(entry.status).toBe("OFFERED");

  await page.goto(`/fr/editions/${edition.slug}/register?offer=${entry.token}`);
  await expect(page.getByRole("status").filter({ hasText: "réservées" })).toHaveText(
    /^2 places en standard vous sont réservées jusqu’au .+ \(heure de Paris\)\. Inscrivez-vous et payez d’ici là/,
  );
  // Three asked, two offered: taking them ends the wait, and the page says so before anything is paid.
  await expect(page.getByRole("status").filter({ hasText: "réservées" })).toContainText(
    "Vous aviez demandé 3 places\u00a0: vous inscrire pour ces 2 met fin à votre attente",
  );
  const buyer = page.getByRole("group", { name: "Vos coordonnées (acheteur·se)" });
  await expect(buyer.getByRole("textbox", { name: "Prénom", exact: true })).toHaveValue("Marie");
  await expect(buyer.getByRole("textbox", { name: "Nom", exact: true })).toHaveValue("Curie");
  await expect(page.locator(".ticket-block")).toHaveCount(2);
  await expect(page.getByRole("radio", { name: /virement/i })).toHaveCount(0);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`),
  ).toEqual([]);
  await page.screenshot({ path: test.info().outputPath("offer-group-phone-fr.png"), fullPage: true });

  // One ticket instead of two: the one-attendee form, still the offer's (the other seat goes on once paid).
  await page.getByText("Prendre moins de billets que de places réservées", { exact: true }).tap();
  // From one seat to the offer's two: none is no choice.
  await expect(page.getByLabel("standard", { exact: true }).locator("option")).toHaveText(["1", "2"]);
  await page.getByLabel("standard", { exact: true }).selectOption("1");
  await page.getByRole("button", { name: "Mettre à jour les billets" }).tap();
  await expect(page).toHaveURL(new RegExp(`offer=${entry.token}`));
  await expect(page.locator(".ticket-block")).toHaveCount(0);
  await expect(page.getByRole("radio", { name: /standard/ })).toBeChecked();
  await expect(page.getByRole("textbox", { name: "Prénom", exact: true })).toHaveValue("Marie");

  // Meanwhile an order was placed with the offer through the API and waits for its payment: the form says so.
  const placed = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: {
      ticketType: "standard",
      attendee: { firstName: "Marie", lastName: "Curie", email: uniqueEmail("api-offer") },
      locale: "fr",
      offer: entry.token,
    },
  });
  expect(placed.status()).toBe(201);
  await page.getByRole("button", { name: "S’inscrire" }).tap();
  await expect(page.locator(".form-message.error")).toHaveText(
    "Une commande avec ces places attend déjà son paiement\u00a0: terminez-la, ou attendez la fin de sa réservation, " +
      "puis réessayez.",
  );
});
