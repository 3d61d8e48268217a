import AxeBuilder from "@axe-core/playwright";
import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";

// Every back-office page, signed in as an admin, in both languages: no serious axe violation.
for (const locale of ["fr", "en"] as const) {
  test(`back-office pages pass axe (${locale})`, async ({ page, context, request, db }) => {
    test.setTimeout(90_000);
    const registered = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
      data: {
        ticketType: "community",
        attendee: { firstName: "Axe", lastName: "Admin", email: uniqueEmail("axe-admin") },
        answers: { coc: true },
        locale,
      },
    });
    expect(registered.status()).toBe(201);
    await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: "http://localhost" }]);
    await signInAs(context, "ADMIN");
    const ticket = await db.ticket.findFirstOrThrow({ where: { edition: { slug: DEMO_EDITION } } });
    const base = `/admin/editions/${DEMO_EDITION}`;
    const paths = [
      "/admin",
      "/admin/editions/new",
      base,
      `${base}/attendees`,
      `${base}/ticket-types`,
      `${base}/allocations`,
      `${base}/vouchers`,
      `${base}/waiting-list`,
      `${base}/questions`,
      `${base}/settings`,
      `${base}/emails`,
      `${base}/audit`,
      "/admin/users",
      "/admin/api-tokens",
      "/admin/invoicing",
      "/admin/invoices",
      "/admin/transfers",
      `${base}/attendees/${ticket.id}`,
    ];
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      const { violations } = await new AxeBuilder({ page }).analyze();
      const serious = violations.filter(
        (violation) => violation.impact === "serious" || violation.impact === "critical",
      );
      expect(
        serious.map((violation) => `${path} ${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`),
      ).toEqual([]);
    }
  });
}

test("the sign-in page passes axe and switches language", async ({ page }) => {
  await page.goto("/admin/sign-in");
  await page
    .getByRole("link", { name: "English" })
    .or(page.getByRole("link", { name: "Français" }))
    .click();
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical")).toEqual(
    [],
  );
});

test("an API token created in the back office exports the attendee list, until it is revoked (en)", async ({
  page,
  context,
  request,
  newEdition,
}) => {
  page.on("dialog", (dialog) => void dialog.accept());
  const edition = await newEdition({ capacity: 5 });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto("/admin/api-tokens");
  const form = page.getByRole("region", { name: "Create a token" });
  await form.getByLabel(/^Name/).fill("Printer badges");
  await form.getByLabel(/^Edition/).selectOption({ label: edition.nameEn });
  await form.getByRole("button", { name: "Create the token" }).click();
  const token = (await form.locator(".secret code").textContent())!;
  expect(token).toMatch(/^gch_[A-Za-z0-9_-]{43}$/);

  const registered = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: {
      ticketType: "free",
      attendee: { firstName: "Rosalind", lastName: "Franklin", email: `rosalind.${Date.now()}@example.org` },
      locale: "en",
    },
  });
  expect(registered.status()).toBe(201);
  const url = `/api/v1/editions/${edition.slug}/attendees`;
  const json = await request.get(`${url}?format=json&columns=lastName&columns=email`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(json.status()).toBe(200);
  expect((await json.json()).map((row: { lastName: string }) => row.lastName)).toEqual(["Franklin"]);
  const csv = await request.get(`${url}?format=csv&lang=fr`, { headers: { Authorization: `Bearer ${token}` } });
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect((await csv.text()).split("\r\n")[0]).toBe("\uFEFFRéférence,Prénom,Nom,Email,Société,Billet,Statut");
  expect(
    (
      await request.get(`/api/v1/editions/${DEMO_EDITION}/attendees`, { headers: { Authorization: `Bearer ${token}` } })
    ).status(),
  ).toBe(403);
  expect((await request.get(url)).status()).toBe(401);

  await page.reload();
  await page
    .getByRole("row", { name: /Printer badges/ })
    .getByRole("button", { name: "Revoke" })
    .click();
  await expect(page.getByRole("row", { name: /Printer badges/ })).toContainText("Revoked");
  expect((await request.get(url, { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
});

for (const locale of ["fr", "en"] as const) {
  test(`the check-in pages pass axe (${locale})`, async ({ page, context, newEdition, db }) => {
    const edition = await newEdition({ capacity: 5 });
    const staff = await db.user.findUniqueOrThrow({ where: { email: "staff@demo.guichet.test" } });
    await db.editionStaff.create({ data: { editionId: edition.id, userId: staff.id } });
    await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: "http://localhost" }]);
    await signInAs(context, "CHECKIN_STAFF");
    await page.goto("/checkin");
    await expect(page.getByRole("link", { name: locale === "fr" ? edition.nameFr : edition.nameEn })).toBeVisible();
    await page.goto(`/checkin/${edition.slug}`);
    await expect(page.getByTestId("checkin-counter")).toHaveText(
      locale === "fr" ? "0 / 0 arrivés" : "0 / 0 checked in",
    );
    for (const path of ["/checkin", `/checkin/${edition.slug}`]) {
      await page.goto(path);
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(
        violations
          .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
          .map((violation) => `${path} ${violation.id}`),
      ).toEqual([]);
    }
  });
}
