import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { waitForEmailTo } from "./support/mailbox";
import { expect, test, uniqueEmail } from "./support/database";

async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`)).toEqual(
    [],
  );
}

test("joins a sold-out edition's waiting list on a phone and gets the private link by email", async ({
  page,
  newEdition,
  request,
}) => {
  const edition = await newEdition({ capacity: 1 });
  const taken = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: { ticketType: "free", attendee: { firstName: "Quick", lastName: "One", email: uniqueEmail("first") } },
  });
  expect(taken.status()).toBe(201);

  await page.goto(`/fr/editions/${edition.slug}`);
  const list = page.getByRole("region", { name: "Liste d’attente" });
  await expect(list).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoSeriousViolations(page);

  // A mistake is named beside its field, and what was typed stays.
  await list.getByRole("textbox", { name: "Votre nom" }).fill("Grace Hopper");
  await list.getByRole("textbox", { name: /Votre adresse e-mail/ }).fill("not-an-email");
  await list.getByRole("button", { name: "M’inscrire sur la liste d’attente" }).tap();
  await expect(list.getByRole("alert")).toHaveText("Certains champs sont à corriger\u00a0: voyez ci-dessous.");
  const email = list.getByRole("textbox", { name: /Votre adresse e-mail/ });
  await expect(email).toHaveAccessibleDescription(/adresse e-mail valide/);
  await expect(list.getByRole("textbox", { name: "Votre nom" })).toHaveValue("Grace Hopper");

  const address = uniqueEmail("waiting");
  await email.fill(address);
  await list.getByRole("spinbutton", { name: "Nombre de places souhaitées" }).fill("2");
  await list.getByRole("checkbox", { name: "J’accepte moins de places" }).check();
  await expect(list.getByRole("checkbox", { name: "free" })).toBeChecked();
  await list.getByRole("button", { name: "M’inscrire sur la liste d’attente" }).tap();
  await expect(list.getByRole("status")).toContainText("en position 1");

  const mail = await waitForEmailTo(address);
  const link = mail.text?.match(/https?:\/\/\S+\/fr\/waiting-list\/[A-Za-z0-9_-]+/)?.[0];
  expect(link).toBeDefined();
});
