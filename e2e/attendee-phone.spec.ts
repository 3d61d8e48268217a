import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { fillAttendee, LABELS } from "./support/registration-form";

test("registers on a phone-sized screen without horizontal scrolling", async ({ page }) => {
  for (const path of [
    "/fr",
    `/fr/editions/${DEMO_EDITION}`,
    `/fr/editions/${DEMO_EDITION}/register?ticket=community`,
  ]) {
    await page.goto(path);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await fillAttendee(page, "fr", { firstName: "Margaret", lastName: "Hamilton", email: uniqueEmail("phone") });
  await page.getByRole("checkbox", { name: LABELS.fr.coc }).check();
  await page.getByRole("button", { name: LABELS.fr.submit }).tap();
  await expect(page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible();
});
