import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";
import { LABELS } from "./support/registration-form";

async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`)).toEqual(
    [],
  );
}

for (const locale of ["fr", "en"] as const) {
  const pages = {
    home: `/${locale}`,
    edition: `/${locale}/editions/${DEMO_EDITION}`,
    "registration form": `/${locale}/editions/${DEMO_EDITION}/register`,
    "not found": `/${locale}/editions/nope`,
  };
  for (const [name, path] of Object.entries(pages)) {
    test(`${name} page passes axe (${locale})`, async ({ page }) => {
      await page.goto(path);
      await expectNoSeriousViolations(page);
    });
  }

  test(`registration form showing its errors passes axe (${locale})`, async ({ page }) => {
    await page.goto(`/${locale}/editions/${DEMO_EDITION}/register`);
    // The code's form comes first: the registration's is the one with its submit button.
    await page.getByRole("button", { name: LABELS[locale].submit, exact: true }).click();
    await expect(page.locator(".field-error").first()).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test(`email wording pages of the back office pass axe (${locale})`, async ({ page, context }) => {
    await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: "http://localhost" }]);
    await signInAs(context, "ORGANISER");
    const templates = `/admin/editions/${DEMO_EDITION}/emails/templates`;
    for (const path of [templates, `${templates}/order_confirmation?locale=${locale}`]) {
      await page.goto(path);
      await expectNoSeriousViolations(page);
    }
  });

  test(`order confirmation page passes axe (${locale})`, async ({ page, request }) => {
    const created = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
      data: {
        ticketType: "community",
        attendee: { firstName: "Axe", lastName: "Core", email: uniqueEmail("axe") },
        answers: { coc: true },
        locale,
      },
    });
    expect(created.status()).toBe(201);
    await page.goto(new URL((await created.json()).confirmationUrl).pathname);
    await expectNoSeriousViolations(page);
  });
}
