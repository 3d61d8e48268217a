import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { createApiToken } from "@/lib/auth/api-tokens";
import { upsertUser } from "@/lib/auth/users";
import { adminOrderInvoicePath, adminOrderPath, adminPrivacyPath } from "@/lib/http/paths";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { companyBilling, organiserProfileForm } from "@/devtools/testing/fixtures";
import { account, signInAs } from "./support/back-office";
import { expect, test } from "./support/clock";
import { DEMO_EDITION, uniqueEmail } from "./support/database";
import { waitForEmailTo } from "./support/mailbox";

// The invoicing settings are one for the installation, and e2e/invoicing-phone.spec.ts starts from none: this test
// runs alone (the exclusive turn of e2e/support/clock.ts) and removes the settings again when it saved them.

const phone = { width: 390, height: 844 };
const shoot = (page: Page, info: TestInfo, name: string) =>
  page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
const fitsTheScreen = (page: Page) =>
  page.locator("main").evaluate((element) => element.scrollWidth <= element.clientWidth);
const seriousViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => violation.id);

test("a company buyer gets their data by email, asks for erasure; the organiser erases, the door refuses", async ({
  page,
  request,
  context,
  db,
}, info) => {
  const savedSettings = (await db.organiserProfile.count()) === 0;
  if (savedSettings) {
    const admin = await upsertUser(db, { email: "privacy-e2e-admin@example.org", role: "ADMIN" });
    expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
  }
  try {
    const buyer = { firstName: "Hedy", lastName: "Lamarr", email: uniqueEmail("privacy-buyer") };
    const created = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
      data: {
        ticketType: "standard",
        attendee: { ...buyer, company: "Acme" },
        answers: { coc: true, diet: "no nuts" },
        billing: companyBilling,
        locale: "en",
      },
    });
    expect(created.status()).toBe(201);
    const { checkoutUrl, confirmationUrl } = await created.json();
    await page.setViewportSize(phone);
    await page.goto(checkoutUrl);
    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await page.getByLabel("Expiry (MM/YY)").fill("12/34");
    await page.getByLabel("CVC").fill("123");
    await page.getByRole("button", { name: /^Pay/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible({
      timeout: 15_000,
    });
    const order = await db.order.findFirstOrThrow({
      where: { buyerEmail: buyer.email },
      include: { tickets: true, invoices: true },
    });
    expect(order.invoices).toHaveLength(1);
    const [ticket] = order.tickets;
    const code = signTicketCode(
      { ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion },
      ticketKeysFrom(process.env.TICKET_SIGNING_KEY!).privateKey,
    );

    // "Email me all my data", on the order page: the link comes by email and downloads the JSON.
    const orderPage = new URL(confirmationUrl).pathname;
    await page.goto(orderPage);
    const yourData = page.getByRole("region", { name: "Your data" });
    await expect(yourData).toContainText(buyer.email);
    await yourData.getByRole("button", { name: "Email me all my data" }).click();
    // Back at the section, far below the top on a phone: the confirmation is on screen, not a scroll away.
    await expect(page.getByRole("status").filter({ hasText: "check your mailbox" })).toBeInViewport();
    expect(new URL(page.url()).hash).toBe("#your-data");
    expect(await fitsTheScreen(page)).toBe(true);
    await shoot(page, info, "privacy-order-page-en");
    const mail = await waitForEmailTo(buyer.email, { subject: "Your data" });
    const link = /https?:\/\/\S+\/en\/privacy\/export\/\S+/.exec(mail.text ?? "")?.[0];
    expect(link).toBeTruthy();
    const exported = await request.get(new URL(link!).pathname);
    expect(exported.status()).toBe(200);
    expect(exported.headers()["content-disposition"]).toContain("attachment");
    const data = await exported.json();
    expect(data.orders).toMatchObject([{ reference: order.reference, billing: { organisation: "Acme SAS" } }]);
    expect(data.tickets).toMatchObject([
      {
        holder: { firstName: "Hedy", email: buyer.email },
        answers: expect.arrayContaining([
          { question: expect.objectContaining({ en: "Dietary needs or allergies" }), answer: "no nuts" },
        ]),
      },
    ]);
    expect((await request.get(new URL(link!).pathname.replace(/.$/, "x"))).status()).toBe(404);

    // "Ask for my data to be erased", in French, behind its confirmation step.
    await page.goto(orderPage.replace(/^\/en\//, "/fr/"));
    const vosDonnees = page.getByRole("region", { name: "Vos données" });
    await vosDonnees.getByText("Demander l’effacement de mes données").click();
    await vosDonnees.getByRole("button", { name: "Oui, demander l’effacement" }).click();
    await expect(page.getByRole("status").filter({ hasText: "transmise aux organisateurs" })).toBeInViewport();
    expect(await fitsTheScreen(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, info, "privacy-order-page-fr");

    // The admin finds the request, sees the live ticket and erases.
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInAs(context, "ADMIN");
    await page.goto("/admin/privacy");
    await page.getByTestId("privacy-requests").getByRole("link", { name: buyer.email }).click();
    await expect(page.getByTestId("privacy-live-tickets")).toContainText(`${order.reference}-1`);
    expect(await seriousViolations(page)).toEqual([]);
    page.once("dialog", (dialog) => {
      expect(dialog.message()).toContain(`${order.reference}-1`);
      void dialog.accept();
    });
    await page.getByRole("button", { name: /^(Erase|Effacer)$/ }).click();
    await expect(page.getByText(/Live tickets cancelled: 1|Billets en cours annulés\s: 1/)).toBeVisible();
    await shoot(page, info, "privacy-admin");
    await page.reload();
    await expect(page.getByTestId("privacy-requests")).not.toContainText(buyer.email);
    // The address now holds nothing to act on; a text that is no address is told so, and kept.
    await expect(page.getByTestId("privacy-nothing-held")).toContainText(buyer.email);
    await expect(page.getByRole("button", { name: /^(Erase|Effacer)$/ })).toHaveCount(0);
    await page.goto(adminPrivacyPath({ email: "not-an-address" }));
    const searchField = page.getByLabel(/^(Email address|Adresse e-mail)$/);
    await expect(searchField).toHaveValue("not-an-address");
    await expect(searchField).toHaveAccessibleDescription(/Enter an email address|Saisissez une adresse e-mail/);

    // The order's page says the buyer was erased, rather than show the anonymised row.
    await page.goto(adminOrderPath(DEMO_EDITION, order.reference));
    await expect(page.getByRole("main")).toContainText(/Erased on request|Données effacées à la demande/);
    await expect(page.getByRole("main")).not.toContainText("erased+");

    // The door answers cancelled; the old private link is gone; the invoice still names the buyer.
    const organiser = await db.user.findUniqueOrThrow({ where: { email: account("ORGANISER").email } });
    const token = await createApiToken(db, organiser, { name: "door", scope: "CHECKIN", editionId: ticket.editionId });
    if (!token.ok || !token.token) throw new Error("no device token");
    const scanned = await request.post("/api/v1/checkin", {
      headers: { Authorization: `Bearer ${token.token}` },
      data: { edition: DEMO_EDITION, code, nonce: randomUUID(), deviceId: "door-privacy" },
    });
    expect(scanned.status()).toBe(200);
    expect(await scanned.json()).toMatchObject({ result: "cancelled" });
    expect((await request.get(orderPage)).status()).toBe(404);
    const xml = await page.request.get(
      adminOrderInvoicePath(DEMO_EDITION, order.reference, order.invoices[0].number, "xml"),
    );
    expect(xml.status()).toBe(200);
    const text = await xml.text();
    expect(text).toContain("Acme SAS");
    expect(text).toContain(buyer.email);
  } finally {
    if (savedSettings) await db.organiserProfile.deleteMany();
  }
});

test("an expired or altered export link says so in the reader's language, on a phone", async ({ page }, info) => {
  await page.setViewportSize(phone);
  for (const [locale, title, text] of [
    ["fr", "Ce lien ne s’ouvre plus", "Refaites la demande depuis la page de votre billet"],
    ["en", "This link no longer opens", "Ask again from your ticket page"],
  ]) {
    const response = await page.goto(`/${locale}/privacy/export/garbage`);
    expect(response?.status()).toBe(404);
    expect(response?.headers()["content-type"]).toContain("text/html");
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByText(text)).toBeVisible();
    expect(await fitsTheScreen(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, info, `privacy-export-expired-${locale}`);
  }
});

test("an organiser sets an edition's retention: out of range told at the field, then saved (en)", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 5 });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/settings`);
  const section = page.getByRole("region", { name: "Attendees’ data" });
  const months = section.getByLabel("Keep attendees’ data for (months after the end)");
  await expect(months).toHaveValue("12");
  await months.fill("121");
  await section.getByRole("button", { name: "Save the retention period" }).click();
  await expect(months).toHaveAccessibleDescription(/from 1 to 120/);
  await months.fill("18");
  await section.getByRole("button", { name: "Save the retention period" }).click();
  await expect(section.getByText("Saved.")).toBeVisible();
  expect(await db.edition.findUniqueOrThrow({ where: { id: edition.id } })).toMatchObject({ retentionMonths: 18 });
  expect(await db.auditEntry.findFirst({ where: { editionId: edition.id, action: "edition.updated" } })).toMatchObject({
    after: { retentionMonths: 18 },
  });
});
