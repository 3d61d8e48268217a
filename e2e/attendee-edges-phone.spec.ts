import type { Page, TestInfo } from "@playwright/test";
import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";

const NBSP = "\u00a0";
const shot = (page: Page, info: TestInfo, name: string) =>
  page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
const WORDS = {
  fr: {
    register: "Inscription",
    ticket: "Votre billet",
    held: "Les billets payants",
    details: "Vos coordonnées",
    vat: `dont TVA (20${NBSP}%)`,
    emailed: "Votre billet a été envoyé par e-mail à",
  },
  en: {
    register: "Registration",
    ticket: "Your ticket",
    held: "Paid tickets are held",
    details: "Your details",
    vat: "of which VAT (20%)",
    emailed: "Your ticket was emailed to",
  },
};

for (const locale of ["fr", "en"] as const) {
  test(`on a phone, the form and the confirmation say where you are and what was sent (${locale})`, async ({
    page,
    request,
    db,
  }, info) => {
    const words = WORDS[locale];
    await page.goto(`/${locale}/editions/${DEMO_EDITION}/register`);
    await expect(page).toHaveTitle(`${words.register} · Open Cloud Paris #12 · Guichet`);
    await expect(page.getByText(words.held)).toHaveCount(0);
    await shot(page, info, `phone-${locale}-register`);

    const email = uniqueEmail(`edges-phone-${locale}`);
    const created = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
      data: {
        ticketType: "standard",
        attendee: { firstName: "Zoë", lastName: "Łukasiewicz", email },
        answers: { coc: true, tshirt: "xl", diet: "Sans gluten" },
        locale,
      },
    });
    const order = await created.json();
    // What the signed webhook leaves after payment (lib/payments/webhook.test.ts covers the path itself).
    await db.order.update({ where: { id: order.orderId }, data: { status: "CONFIRMED", confirmedAt: new Date() } });
    await page.goto(new URL(order.confirmationUrl).pathname);
    await expect(page).toHaveTitle(`${words.ticket} · Open Cloud Paris #12 · Guichet`);
    await expect(page.getByText(`${words.emailed} ${email}.`)).toBeVisible();
    await expect(page.locator(".summary").first()).toContainText(words.vat);
    await page.getByText(words.details, { exact: true }).click();
    await shot(page, info, `phone-${locale}-order`);
  });
}
