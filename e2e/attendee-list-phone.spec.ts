import { expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";

// A wide table's visually hidden labels (absolutely positioned) used to escape its scrolling frame and widen the page:
// a phone then laid the attendee list out at 816 px, and a tap meant for a row's tick landed on a filter.
test("the attendee list fits a 390 px phone; a row's tick is where a tap lands (en)", async ({
  page,
  context,
  request,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 10, ticketTypes: [{ code: "free" }] });
  for (const n of [1, 2]) {
    const attendee = { firstName: "Grace", lastName: `Phone ${n}`, email: uniqueEmail("list-phone") };
    const answer = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
      data: { ticketType: "free", attendee, locale: "en" },
    });
    expect(answer.status()).toBe(201);
  }
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/attendees`);
  expect(await page.evaluate(() => [innerWidth, document.documentElement.scrollWidth])).toEqual([390, 390]);

  const tick = page.getByRole("checkbox", { name: "Select Phone 1 Grace" });
  await tick.scrollIntoViewIfNeeded();
  const underTap = await tick.evaluate((box) => {
    const r = box.getBoundingClientRect();
    return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === box;
  });
  expect(underTap).toBe(true);
  // The page is there before the bar's script: tick until the selection counts.
  await expect(async () => {
    await tick.check();
    await expect(page.getByTestId("bulk-count")).toHaveText("1 attendee selected", { timeout: 1000 });
  }).toPass();
});
