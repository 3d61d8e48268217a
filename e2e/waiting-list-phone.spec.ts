import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { waitForEmailTo } from "./support/mailbox";
import { problemOf } from "./support/problem";
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
  if (!link) throw new Error("no private link in the confirmation email");

  await page.goto(new URL(link).pathname);
  await expect(page.getByRole("status")).toHaveText("Vous êtes en position 1 dans la file.");
  await expect(page.getByText("2 places, ou moins")).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.getByText("Quitter la liste", { exact: true }).tap();
  await page.getByRole("button", { name: "Oui, quitter la liste d’attente" }).tap();
  await expect(page.getByRole("status")).toHaveText("Vous n’êtes plus sur la liste d’attente.");
  await expect(page.getByRole("button", { name: "Oui, quitter la liste d’attente" })).toHaveCount(0);
});

test("a sold-out type's link ticks that type alone in the join form", async ({ page, newEdition, request }) => {
  const edition = await newEdition({ capacity: 1, ticketTypes: [{ code: "day-pass" }, { code: "workshop" }] });
  const taken = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: { ticketType: "day-pass", attendee: { firstName: "Quick", lastName: "One", email: uniqueEmail("typed") } },
  });
  expect(taken.status()).toBe(201);
  await page.goto(`/en/editions/${edition.slug}`);
  const list = page.getByRole("region", { name: "Waiting list" });
  await expect(list.getByRole("checkbox", { name: "day-pass" })).toBeChecked();
  await expect(list.getByRole("checkbox", { name: "workshop" })).toBeChecked();
  await page.getByRole("link", { name: "Join the waiting list: workshop" }).tap();
  await expect(list.getByRole("checkbox", { name: "workshop" })).toBeChecked();
  await expect(list.getByRole("checkbox", { name: "day-pass" })).not.toBeChecked();
});

test("joins and leaves the waiting list through the API", async ({ newEdition, request }) => {
  const edition = await newEdition({ capacity: 1 });
  const url = `/api/v1/editions/${edition.slug}/waiting-list`;
  const address = uniqueEmail("api-waiting");
  const entry = { name: "Ada Lovelace", email: address, locale: "en", seats: 2, acceptsFewer: true };

  // Seats are left: nobody needs to wait.
  const early = await request.post(url, { data: { ...entry, ticketTypes: ["free"] } });
  expect(early.status()).toBe(409);
  expect(early.headers()["content-type"]).toContain("application/problem+json");
  expect(await early.json()).toEqual(problemOf(409, "waiting_list_closed"));

  const listIsOpen = async () => (await (await request.get(`/api/v1/editions/${edition.slug}`)).json()).waitingList;
  expect(await listIsOpen()).toEqual({ open: false });
  const taken = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: { ticketType: "free", attendee: { firstName: "Quick", lastName: "One", email: uniqueEmail("api-first") } },
  });
  expect(taken.status()).toBe(201);
  expect(await listIsOpen()).toEqual({ open: true });

  const invalid = await request.post(url, { data: { ...entry, seats: 0, ticketTypes: [] } });
  expect(invalid.status()).toBe(422);
  const problem = await invalid.json();
  expect(problem.code).toBe("invalid");
  expect(Object.keys(problem.fieldErrors).sort()).toEqual(["seats", "ticketTypes"]);

  const joined = await request.post(url, { data: { ...entry, ticketTypes: ["free"] } });
  expect(joined.status()).toBe(201);
  expect(await joined.json()).toEqual({ status: "waiting", position: 1, seats: 2, emailed: true });
  // The same address again updates its entry and keeps its place.
  const again = await request.post(url, { data: { ...entry, seats: 1, ticketTypes: ["free"] } });
  expect(again.status()).toBe(200);
  expect(await again.json()).toEqual({ status: "waiting", position: 1, seats: 1, emailed: false });

  const mail = await waitForEmailTo(address);
  const token = mail.text?.match(/\/en\/waiting-list\/([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error("no private link in the confirmation email");
  // As a mail client's one-click unsubscribe sends it (RFC 8058).
  const leave = () =>
    request.post(`/api/v1/waiting-list/${token}/leave`, { form: { "List-Unsubscribe": "One-Click" } });
  const left = await leave();
  expect(left.status()).toBe(200);
  expect(await left.json()).toEqual({ left: true });
  expect(await (await leave()).json()).toEqual({ left: false });
  const unknown = await request.post("/api/v1/waiting-list/no-such-token/leave");
  expect(unknown.status()).toBe(404);
});

test("shows an offer on the private page, and declining passes it on", async ({ page, newEdition, request, db }) => {
  const edition = await newEdition({ capacity: 1 });
  const taken = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: { ticketType: "free", attendee: { firstName: "Quick", lastName: "One", email: uniqueEmail("offer-first") } },
  });
  expect(taken.status()).toBe(201);
  const address = uniqueEmail("offered");
  const joined = await request.post(`/api/v1/editions/${edition.slug}/waiting-list`, {
    data: { name: "Grace Hopper", email: address, locale: "fr", seats: 1, ticketTypes: ["free"] },
  });
  expect(joined.status()).toBe(201);
  const token = (await waitForEmailTo(address)).text?.match(/\/fr\/waiting-list\/([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error("no private link in the confirmation email");

  // A seat more: the list takes it in the organiser's transaction.
  await db.edition.update({ where: { id: edition.id }, data: { capacity: 2 } });
  await page.goto(`/fr/waiting-list/${token}`);
  const offer = page.getByRole("region", { name: "Places réservées pour vous" });
  await expect(offer).toContainText(/1 place \(free, .+ l’unité\) vous est réservée jusqu’au/);
  await expect(offer.getByRole("link", { name: "M’inscrire et payer" })).toHaveAttribute(
    "href",
    `/fr/editions/${edition.slug}/register?offer=${token}`,
  );
  await expectNoSeriousViolations(page);
  await offer.getByText("Je n’en veux pas", { exact: true }).tap();
  await offer.getByRole("button", { name: "Oui, donner mes places à la personne suivante" }).tap();
  await expect(page.getByRole("status")).toHaveText(
    "Vous avez refusé les places proposées\u00a0: elles sont passées à la personne suivante.",
  );
});
