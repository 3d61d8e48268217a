import { expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";

// The back office's home compares editions: two editions made here, one attendee coming back.
test("the home page compares two editions side by side, with the same figures as CSV (en)", async ({
  page,
  context,
  request,
  db,
  newEdition,
}) => {
  const earlier = await newEdition({ capacity: 20 });
  const later = await newEdition({ capacity: 20 });
  const loyal = uniqueEmail("growth-loyal");
  const register = async (slug: string, email: string) => {
    const response = await request.post(`/api/v1/editions/${slug}/registrations`, {
      data: { ticketType: "free", attendee: { firstName: "Growth", lastName: "Test", email }, locale: "en" },
    });
    expect(response.status()).toBe(201);
  };
  await register(earlier.slug, loyal);
  await register(earlier.slug, uniqueEmail("growth-once"));
  await register(earlier.slug, uniqueEmail("growth-once"));
  await register(later.slug, loyal.toUpperCase());
  await register(later.slug, uniqueEmail("growth-new"));
  // Move both editions to 2001, long before any other edition, and date the registrations on their curves.
  const move = async (edition: { id: string }, startsAt: string, confirmedAt: string) => {
    const starts = new Date(startsAt);
    const ends = new Date(starts.getTime() + 9 * 3600 * 1000);
    await db.edition.update({ where: { id: edition.id }, data: { startsAt: starts, endsAt: ends, status: "CLOSED" } });
    await db.order.updateMany({ where: { editionId: edition.id }, data: { confirmedAt: new Date(confirmedAt) } });
  };
  await move(earlier, "2001-03-10T08:00:00Z", "2001-02-28T10:00:00Z");
  await move(later, "2001-09-10T07:00:00Z", "2001-09-09T10:00:00Z");
  const firstTicket = await db.ticket.findFirstOrThrow({ where: { editionId: earlier.id } });
  await db.ticket.update({ where: { id: firstTicket.id }, data: { checkedInAt: new Date("2001-03-10T08:30:00Z") } });

  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "The conference's growth" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Confirmed registrations, running total/ })).toBeVisible();

  const summary = page.getByTestId("growth-summary");
  const row = (slug: string) => summary.locator("tr", { has: page.locator(`a[href="/admin/editions/${slug}"]`) });
  await expect(row(earlier.slug).locator("td")).toHaveText([
    "Mar 10, 2001",
    "3 / 20",
    "33% (1)",
    "0",
    "3",
    "free 3",
    "€0.00",
  ]);
  await expect(row(later.slug).locator("td")).toHaveText([
    "Sep 10, 2001",
    "2 / 20",
    "0% (0)",
    "1",
    "1",
    "free 2",
    "€0.00",
  ]);

  // The curves table: the earlier edition had all three 10 days before, the later one both the day before.
  const curves = page.getByTestId("growth-curves");
  const column = async (slug: string) => {
    const headers = await curves.locator("thead th").allTextContents();
    const name = (await row(slug).locator("th a").textContent()) ?? "";
    return headers.indexOf(name) + 1;
  };
  const cell = async (label: string, slug: string) =>
    curves
      .getByRole("row", { name: new RegExp(`^${label}`) })
      .locator("td")
      .nth((await column(slug)) - 1);
  await expect(await cell("14 days before", earlier.slug)).toHaveText("0");
  await expect(await cell("7 days before", earlier.slug)).toHaveText("3");
  await expect(await cell("7 days before", later.slug)).toHaveText("0");
  await expect(await cell("1 day before", later.slug)).toHaveText("2");

  const csv = await (await page.request.get("/admin/growth/export?part=summary")).text();
  const lines = csv
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n");
  expect(lines[0]).toMatch(
    /^edition,name,starts at,status,capacity,registrations,checked in,check-in rate,returning attendees,new attendees,/,
  );
  expect(lines.find((line) => line.startsWith(`${earlier.slug},`))).toMatch(
    /,2001-03-10,CLOSED,20,3,1,0\.333,0,3,0\.00,EUR,/,
  );
  expect(lines.find((line) => line.startsWith(`${later.slug},`))).toMatch(
    /,2001-09-10,CLOSED,20,2,0,0\.000,1,1,0\.00,EUR,/,
  );
  const curvesCsv = await (await page.request.get("/admin/growth/export?part=curves")).text();
  expect(curvesCsv).toContain(`${earlier.slug},10,3\r\n`);
  expect(curvesCsv).toContain(`${later.slug},1,2\r\n`);
});

// Usability review D4: twelve registrations drew the same full-height bar, labelled 300, as three hundred.
test("the dashboard chart's axes say what the bars mean, whatever the capacity (en)", async ({
  page,
  context,
  request,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 300 });
  for (let n = 0; n < 3; n += 1) {
    const response = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
      data: {
        ticketType: "free",
        attendee: { firstName: "Chart", lastName: `Test ${n}`, email: uniqueEmail("chart") },
        locale: "en",
      },
    });
    expect(response.status()).toBe(201);
  }
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}`);
  const chart = page.getByRole("img", { name: /Confirmed registrations per day/ });
  await expect(chart).toBeVisible();
  // Left axis: registrations that day; right axis: the running total. Neither reaches for the capacity.
  await expect(chart.locator("text[text-anchor=end]")).toHaveText(["0", "1", "2", "3"]);
  await expect(chart.locator("text.total-axis")).toHaveText(["0", "1", "2", "3"]);
  await expect(page.getByText("Registrations that day (left scale)")).toBeVisible();
});
