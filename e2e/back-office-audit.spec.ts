import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { recordAudit } from "@/lib/audit/record";
import { editAttendee } from "@/lib/attendees/manage";
import { registerAttendee } from "@/lib/orders/register";
import { account, signInAs } from "./support/back-office";
import { expect, test, uniqueEmail } from "./support/database";

async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`)).toEqual(
    [],
  );
}

test("the audit log speaks the organiser's language, filters and pages past its first screen (en, fr)", async ({
  page,
  context,
  baseURL,
  db,
  newEdition,
}, testInfo) => {
  test.setTimeout(60_000);
  const edition = await newEdition({ capacity: 5 });
  const organiser = await db.user.findUniqueOrThrow({ where: { email: account("ORGANISER").email } });
  const admin = await db.user.findUniqueOrThrow({ where: { email: account("ADMIN").email } });
  const placed = await registerAttendee(
    db,
    edition.slug,
    {
      ticketType: "free",
      attendee: { firstName: "Ada", lastName: "Lovelace", email: uniqueEmail("audit") },
      locale: "en",
    },
    { holdMinutes: 35 },
  );
  if (!placed.ok) throw new Error(placed.reason);
  const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: placed.order.id } });
  // More than a page of older changes by the admin, then the organiser's own, through the real paths.
  await db.auditEntry.createMany({
    data: Array.from({ length: 105 }, (_, i) => ({
      editionId: edition.id,
      actorId: admin.id,
      actorEmail: admin.email,
      action: "edition.updated",
      subjectType: "edition",
      subjectId: edition.id,
      before: { capacity: i },
      after: { capacity: i + 1 },
      createdAt: new Date(Date.UTC(2026, 0, 10, 9, 0, i)),
    })),
  });
  expect(
    await editAttendee(db, organiser, edition.id, ticket.id, {
      attendee: { firstName: "Augusta Ada", lastName: "Lovelace", company: "" },
      answers: {},
    }),
  ).toMatchObject({ ok: true });
  await db.$transaction((tx) =>
    recordAudit(tx, organiser, {
      editionId: edition.id,
      action: "attendee.cancelled_refunded",
      subjectType: "ticket",
      subjectId: ticket.id,
      after: { status: "REFUNDED", amountCents: 4900 },
    }),
  );

  await signInAs(context, "ORGANISER");
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: baseURL! }]);
  await page.setViewportSize({ width: 1280, height: 900 });
  const audit = `/admin/editions/${edition.slug}/audit`;
  await page.goto(audit);
  await expect(page).toHaveTitle(`Audit log · ${edition.nameEn} · Guichet · organisers`);
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(100);
  const refund = rows.filter({ hasText: "Registration cancelled and refunded" });
  await expect(refund).toContainText("€49.00");
  await expect(refund).toContainText("Refunded");
  await expect(refund).toContainText("Paris time");
  await expect(refund).not.toContainText("amountCents");
  await expect(refund.getByRole("link", { name: "Ticket of Augusta Ada Lovelace" })).toHaveAttribute(
    "href",
    `/admin/editions/${edition.slug}/attendees/${ticket.id}`,
  );
  await expect(rows.filter({ hasText: "Attendee details edited" })).toContainText("First name");
  await expect(rows.filter({ hasText: "Settings changed" }).first()).toContainText("Capacity");
  await page.screenshot({ path: testInfo.outputPath("audit-en.png") });
  await expectNoSeriousViolations(page);

  // The first screen ends at 100 changes; the rest are one link away.
  await page.getByRole("link", { name: "Older changes" }).click();
  await expect(rows).toHaveCount(7);
  await expect(rows.last()).toContainText(/January 10, 2026.*10:00/);
  await expect(page.getByRole("link", { name: "Older changes" })).toHaveCount(0);
  await page.getByRole("link", { name: "Back to the newest" }).click();
  await expect(rows).toHaveCount(100);

  // Filters: by kind of change, by person, by day.
  const filters = page.getByRole("form", { name: "Filter the log" });
  await filters.getByLabel("Change", { exact: true }).selectOption("attendee");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(2);
  await filters.getByLabel("Change", { exact: true }).selectOption("");
  await filters.getByLabel("By", { exact: true }).selectOption(admin.email);
  await filters.getByLabel("From", { exact: true }).fill("2026-01-10");
  await filters.getByLabel("To", { exact: true }).fill("2026-01-10");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/by=admin%40demo\.guichet\.test/);
  await expect(rows).toHaveCount(100);
  await filters.getByLabel("From", { exact: true }).fill("2026-01-11");
  await filters.getByLabel("To", { exact: true }).fill("");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No change matches these filters.")).toBeVisible();

  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: baseURL! }]);
  await page.goto(audit);
  await expect(page).toHaveTitle(`Journal · ${edition.nameFr} · Guichet · organisateurs`);
  const refundFr = page.locator("tbody tr").filter({ hasText: "Inscription annulée et remboursée" });
  await expect(refundFr).toContainText("49,00 €");
  await expect(refundFr).toContainText("heure de Paris");
  await expect(refundFr.getByRole("link", { name: "Billet de Augusta Ada Lovelace" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("audit-fr.png") });
});

test("every back-office page's title says where you are", async ({ page, context, baseURL, newEdition }) => {
  const edition = await newEdition({ capacity: 5 });
  await signInAs(context, "ADMIN");
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: baseURL! }]);
  const base = `/admin/editions/${edition.slug}`;
  const titles: [string, string][] = [
    [base, `Tableau de bord · ${edition.nameFr} · Guichet · organisateurs`],
    [`${base}/ticket-types`, `Billets · ${edition.nameFr} · Guichet · organisateurs`],
    [`${base}/questions`, `Questions · ${edition.nameFr} · Guichet · organisateurs`],
    [`${base}/emails`, `E-mails · ${edition.nameFr} · Guichet · organisateurs`],
    [`${base}/audit`, `Journal · ${edition.nameFr} · Guichet · organisateurs`],
    ["/admin/users", "Utilisateurs · Guichet · organisateurs"],
    ["/admin/api-tokens", "Jetons d’API · Guichet · organisateurs"],
    ["/admin/editions/new", "Nouvelle édition · Guichet · organisateurs"],
  ];
  for (const [path, title] of titles) {
    await page.goto(path);
    await expect(page).toHaveTitle(title);
  }
});

test("staff who open a back-office page they may not see are told who they are and can switch account (en)", async ({
  page,
  context,
  baseURL,
}, testInfo) => {
  await signInAs(context, "CHECKIN_STAFF");
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: baseURL! }]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/admin/users");
  await expect(page).toHaveURL("/admin/forbidden");
  await expect(page).toHaveTitle("Not allowed · Guichet · organisers");
  await expect(page.getByTestId("signed-in-as")).toHaveText(`Signed in as ${account("CHECKIN_STAFF").email}.`);
  await page.screenshot({ path: testInfo.outputPath("forbidden-en.png") });
  await expectNoSeriousViolations(page);
  await page.getByRole("button", { name: "Sign in with another account" }).click();
  await expect(page).toHaveURL(`/admin/sign-in?callbackUrl=${encodeURIComponent("/admin")}`);
  await expect(page).toHaveTitle("Sign-in · Guichet · organisers");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Organisers' sign-in");
});
