import AxeBuilder from "@axe-core/playwright";
import { expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";
import { waitForEmailTo } from "./support/mailbox";

test.use({ locale: "fr-FR" });

test("an organiser sees an email refused for good, with the SMTP answer, and resends it (fr)", async ({
  page,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 5 });
  const address = uniqueEmail("refused");
  const created = await page.request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: { ticketType: "free", attendee: { firstName: "Ada", lastName: "Lovelace", email: address }, locale: "fr" },
  });
  expect(created.status()).toBe(201);
  await waitForEmailTo(address);
  // The refusal itself is proven against a real SMTP server in lib/email/redrive.test.ts; here, its trace.
  const email = await db.emailOutbox.findFirstOrThrow({ where: { toAddress: address } });
  await db.emailOutbox.update({
    where: { id: email.id },
    data: { status: "FAILED", attempts: 1, sentAt: null, lastError: "Message failed: 550 Mailbox unavailable" },
  });

  await signInAs(page.context(), "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/attendees`);
  await page.getByRole("navigation", { name: "Sections de l’édition" }).getByRole("link", { name: "E-mails" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "E-mails à surveiller" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: address });
  await expect(row).toContainText("Échec");
  await expect(row).toContainText("550 Mailbox unavailable");
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => violation.id),
  ).toEqual([]);

  await row.getByRole("button", { name: /^Renvoyer l’e-mail «\s*confirmation\s*» à / }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "L’e-mail est de nouveau en file et part dans un instant." }),
  ).toBeVisible();
  await waitForEmailTo(address, { subject: `Votre billet pour ${edition.nameFr}`, nth: 2 });
  await expect
    .poll(async () => (await db.emailOutbox.findUniqueOrThrow({ where: { id: email.id } })).status)
    .toBe("SENT");
  await page.reload();
  await expect(page.getByText("Rien à signaler")).toBeVisible();
});
