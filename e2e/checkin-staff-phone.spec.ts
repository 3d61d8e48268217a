import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { upsertUser } from "@/lib/auth/users";
import { registerAttendee } from "@/lib/orders/register";
import { signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { account, signInAs } from "./support/back-office";
import { expect, test, uniqueEmail } from "./support/database";

const keys = () => ticketKeysFrom(process.env.TICKET_SIGNING_KEY!);

async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`)).toEqual(
    [],
  );
}

const WORDS = {
  fr: {
    notAssigned: "Édition non attribuée",
    ask: "Demandez à un organisateur de vous attribuer cette édition",
    signedIn: (email: string) => `Connecté·e en tant que ${email}.`,
    switch: "Se connecter avec un autre compte",
    signInTitle: "Connexion à l’accueil",
    tabTitle: "Connexion à l’accueil · Guichet · accueil",
    email: "Adresse e-mail",
    password: "Mot de passe",
    signIn: "Se connecter",
    scanner: "Accueil · ",
    code: "Code du billet (douchette ou clavier)",
    wrongEdition: (name: string) => `Ce billet est pour ${name}.`,
    next: "Suivant",
    search: "Retrouver quelqu’un sans son billet",
    searchButton: "Chercher",
  },
  en: {
    notAssigned: "Not assigned to this edition",
    ask: "Ask an organiser to assign you to this edition",
    signedIn: (email: string) => `Signed in as ${email}.`,
    switch: "Sign in with another account",
    signInTitle: "Check-in sign-in",
    tabTitle: "Check-in sign-in · Guichet · check-in",
    email: "Email address",
    password: "Password",
    signIn: "Sign in",
    scanner: "Check-in · ",
    code: "Ticket code (barcode scanner or keyboard)",
    wrongEdition: (name: string) => `This ticket is for ${name}.`,
    next: "Next",
    search: "Find someone without their ticket",
    searchButton: "Search",
  },
} as const;

for (const locale of ["fr", "en"] as const) {
  const words = WORDS[locale];

  test(`staff refused at an edition see who they are, switch account, return to the same scanner (${locale})`, async ({
    page,
    context,
    baseURL,
    newEdition,
  }, testInfo) => {
    const edition = await newEdition({ capacity: 5 });
    await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: baseURL! }]);
    await signInAs(context, "CHECKIN_STAFF");
    await page.goto(`/checkin/${edition.slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(words.notAssigned);
    await expect(page.getByTestId("signed-in-as")).toHaveText(words.signedIn(account("CHECKIN_STAFF").email));
    await expect(page.getByText(words.ask)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`refused-${locale}.png`), fullPage: true });
    await expectNoSeriousViolations(page);

    await page.getByRole("button", { name: words.switch }).click();
    await expect(page).toHaveURL(`/admin/sign-in?callbackUrl=${encodeURIComponent(`/checkin/${edition.slug}`)}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(words.signInTitle);
    await expect(page).toHaveTitle(words.tabTitle);
    await page.screenshot({ path: testInfo.outputPath(`sign-in-${locale}.png`), fullPage: true });
    await expectNoSeriousViolations(page);
    // The staff session is gone: the scanner's API no longer knows this browser.
    expect((await page.request.get(`/api/v1/checkin/${edition.slug}`)).status()).toBe(401);

    const organiser = account("ORGANISER");
    const form = page.locator("form").filter({ has: page.getByLabel(words.password) });
    await form.getByLabel(words.email).fill(organiser.email);
    await form.getByLabel(words.password).fill(organiser.password);
    await form.getByRole("button", { name: words.signIn }).click();
    await expect(page).toHaveURL(`/checkin/${edition.slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      `${words.scanner}${locale === "fr" ? edition.nameFr : edition.nameEn}`,
    );
  });

  test(`the door's answers fit a phone, name the other edition, and search shows the ticket type (${locale})`, async ({
    page,
    context,
    baseURL,
    db,
    newEdition,
  }, testInfo) => {
    const [edition, other] = [
      await newEdition({ capacity: 5, ticketTypes: [{ code: "supporter" }] }),
      await newEdition({ capacity: 5 }),
    ];
    const staff = await db.user.findUniqueOrThrow({ where: { email: account("CHECKIN_STAFF").email } });
    await db.editionStaff.create({ data: { editionId: edition.id, userId: staff.id } });
    const company = "Ŝtelo Ωmega 東京 Internationale-Gesellschaft-für-Datenverarbeitung-und-Wolkenrechner";
    const code = async (at: typeof edition, lastName: string, withCompany?: string) => {
      const attendee = {
        firstName: "Zoë",
        lastName,
        email: uniqueEmail("door"),
        ...(withCompany ? { company: withCompany } : {}),
      };
      const placed = await registerAttendee(
        db,
        at.slug,
        { ticketType: at.id === edition.id ? "supporter" : "free", attendee, locale },
        { holdMinutes: 35 },
      );
      if (!placed.ok) throw new Error(placed.reason);
      const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: placed.order.id } });
      return signTicketCode(
        { ticketId: ticket.id, editionId: at.id, codeVersion: ticket.codeVersion },
        keys().privateKey,
      );
    };
    const mine = await code(edition, "Łukasiewicz-Dvořák", company);
    const foreign = await code(other, "Martin");

    await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: baseURL! }]);
    await signInAs(context, "CHECKIN_STAFF");
    await page.goto(`/checkin/${edition.slug}`);
    const field = page.getByLabel(words.code);
    const answer = page.getByTestId("checkin-answer");

    await field.fill(foreign);
    await field.press("Enter");
    await expect(answer).toHaveAttribute("data-result", "wrong_edition");
    await expect(page.getByTestId("checkin-other-edition")).toHaveText(
      words.wrongEdition(locale === "fr" ? other.nameFr : other.nameEn),
    );
    await page.screenshot({ path: testInfo.outputPath(`wrong-edition-${locale}.png`) });
    await answer.getByRole("button", { name: words.next }).click();

    await field.fill(mine);
    await field.press("Enter");
    await expect(answer).toHaveAttribute("data-result", "admitted");
    const shown = answer.getByText(company);
    await expect(shown).toBeVisible();
    // The long company wraps inside the screen, with a margin on each side.
    const box = (await shown.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(16);
    expect(box.x + box.width).toBeLessThanOrEqual(390 - 16);
    await page.screenshot({ path: testInfo.outputPath(`admitted-long-company-${locale}.png`) });
    await answer.getByRole("button", { name: words.next }).click();

    await page.getByLabel(words.search).fill("Łukasiewicz");
    await page.getByRole("button", { name: words.searchButton, exact: true }).click();
    const result = page.getByRole("list", { name: locale === "fr" ? "Résultats" : "Results" }).getByRole("listitem");
    await expect(result).toHaveCount(1);
    await expect(result).toContainText("supporter ·");
    expect((await result.locator("span").first().innerText()).trim().startsWith("Zoë Łukasiewicz-Dvořák · Ŝtelo")).toBe(
      true,
    );
    await page.screenshot({ path: testInfo.outputPath(`search-${locale}.png`), fullPage: true });
    await expectNoSeriousViolations(page);
  });
}

test("the check-in API asks who is scanning before it reads the scan", async ({
  request,
  context,
  newEdition,
  baseURL,
}) => {
  const edition = await newEdition({ capacity: 5 });
  const json = { "content-type": "application/json" };
  // A stranger learns nothing of the schema: malformed, half-filled or non-JSON bodies all get 401.
  for (const data of ['{"edition":"x","nonce":"x"}', "{nope", "[]"]) {
    const refused = await request.post("/api/v1/checkin", { headers: json, data });
    expect(refused.status()).toBe(401);
    expect(await refused.json()).not.toHaveProperty("issues");
  }
  expect(
    (await request.post("/api/v1/checkin", { headers: { "content-type": "text/plain" }, data: "x" })).status(),
  ).toBe(401);
  // The byte cap still comes first, and the same-origin check before it for a browser with cookies.
  expect((await request.post("/api/v1/checkin", { headers: json, data: "x".repeat(9000) })).status()).toBe(413);
  await signInAs(context, "CHECKIN_STAFF");
  expect(
    (
      await context.request.post("/api/v1/checkin", {
        headers: { ...json, origin: "https://evil.example" },
        data: "{}",
      })
    ).status(),
  ).toBe(403);
  // Signed in, the same malformed scan is described.
  const described = await context.request.post("/api/v1/checkin", {
    headers: { ...json, origin: baseURL! },
    data: JSON.stringify({ edition: edition.slug, nonce: "x" }),
  });
  expect(described.status()).toBe(400);
  expect(await described.json()).toMatchObject({ error: "invalid_scan" });
  expect(
    (
      await context.request.post("/api/v1/checkin", {
        data: { edition: edition.slug, code: "G1x", nonce: randomUUID(), deviceId: "door" },
      })
    ).status(),
  ).toBe(403);
});

test("staff with no edition at all are told who they are and to ask an organiser (fr)", async ({
  page,
  context,
  baseURL,
  db,
}, testInfo) => {
  const email = uniqueEmail("new-staff");
  const password = "a long door password";
  await upsertUser(db, { email, role: "CHECKIN_STAFF", password });
  const { csrfToken } = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signedIn = await context.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
  });
  expect(signedIn.ok()).toBe(true);
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: baseURL! }]);
  await page.goto("/checkin");
  await expect(page.getByText("Aucune édition ne vous est attribuée. Demandez à un organisateur.")).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveText(`Connecté·e en tant que ${email}.`);
  await page.screenshot({ path: testInfo.outputPath("no-edition-fr.png"), fullPage: true });
  await page.getByRole("button", { name: "Se connecter avec un autre compte" }).click();
  await expect(page).toHaveURL(`/admin/sign-in?callbackUrl=${encodeURIComponent("/checkin")}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Connexion à l’accueil");
});
