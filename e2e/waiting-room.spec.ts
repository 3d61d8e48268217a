import AxeBuilder from "@axe-core/playwright";
import { expect, test, uniqueEmail } from "./support/database";
import { fillAttendee, LABELS } from "./support/registration-form";
import { signInAs } from "./support/back-office";
import { openWaitingRoom, startQueueInstance } from "./support/waiting-room";

let instance: Awaited<ReturnType<typeof startQueueInstance>>;

test.beforeAll(async () => {
  instance = await startQueueInstance();
});

test.afterAll(() => {
  instance?.stop();
});

test("a buyer waits in line with their place shown, is let through and registers", async ({ page, db, newEdition }) => {
  const edition = await newEdition({ capacity: 20 });
  await openWaitingRoom(db, edition.id, 1, 3);
  await page.goto(`${instance.baseUrl}/en/editions/${edition.slug}/register`);
  await expect(page).toHaveURL(/\/en\/editions\/[^/]+\/queue/);
  await expect(page.getByRole("heading", { level: 1, name: `Waiting room: ${edition.nameEn}` })).toBeVisible();
  await expect(page.getByTestId("queue-position")).toHaveText(/^You are number [1-4] in line\.$/);
  await expect(page.getByRole("status")).toHaveText(/You are number \d in line\./);
  await expect(page.getByText(/^\d+ seats left$/)).toHaveText("20 seats left");
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

  await expect(page.getByRole("heading", { level: 1, name: `Register for ${edition.nameEn}` })).toBeVisible({
    timeout: 15_000,
  });
  await fillAttendee(page, "en", { firstName: "Grace", lastName: "Hopper", email: uniqueEmail("queue") });
  await page.getByRole("button", { name: LABELS.en.submit }).click();
  await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible();
  const orders = await db.order.findMany({ where: { editionId: edition.id } });
  expect(orders.map((order) => order.queueOrdinal)).toEqual([4]);
});

test("without JavaScript the waiting page reloads itself until the form opens", async ({ browser, db, newEdition }) => {
  const edition = await newEdition({ capacity: 20 });
  await openWaitingRoom(db, edition.id, 1, 2);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${instance.baseUrl}/en/editions/${edition.slug}/register`);
  await expect(page.getByTestId("queue-position")).toHaveText(/^You are number [1-3] in line\.$/);
  await expect(page.getByRole("heading", { level: 1, name: `Register for ${edition.nameEn}` })).toBeVisible({
    timeout: 15_000,
  });
  await context.close();
});

test("the API answers 202 with a place and Retry-After, then 201 with it, and refuses it a second time", async ({
  request,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 20 });
  await openWaitingRoom(db, edition.id, 2, 2);
  const url = `${instance.baseUrl}/api/v1/editions/${edition.slug}/registrations`;
  const body = (n: number) => ({
    ticketType: "free",
    attendee: { firstName: "Ada", lastName: "Api", email: uniqueEmail(`queue-api-${n}`) },
    locale: "en",
  });
  const queued = await request.post(url, { data: body(1) });
  expect(queued.status()).toBe(202);
  const place = await queued.json();
  expect(place).toMatchObject({ status: "queued", position: expect.any(Number), seatsLeft: 20 });
  expect(place.position).toBeGreaterThanOrEqual(1);
  expect(Number(queued.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  const headers = { "Guichet-Queue-Ticket": place.queueTicket };
  const ticket = encodeURIComponent(place.queueTicket);
  const poll = `${instance.baseUrl}/api/v1/editions/${edition.slug}/queue?ticket=${ticket}`;
  await expect.poll(async () => (await (await request.get(poll)).json()).status, { timeout: 10_000 }).toBe("admitted");

  const placed = await request.post(url, { data: body(1), headers });
  expect(placed.status()).toBe(201);
  expect(await placed.json()).toMatchObject({ status: "confirmed", tickets: [{ ticketType: "free" }] });
  const again = await request.post(url, { data: body(2), headers });
  expect(again.status()).toBe(409);
  expect(await again.json()).toMatchObject({ code: "queue_ticket_used" });
  const forged = await request.post(url, { data: body(3), headers: { "Guichet-Queue-Ticket": "x.y" } });
  expect(forged.status()).toBe(403);
});

test("an organiser turns the waiting room on for the opening, at a rate, and the change is audited", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 20 });
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/settings`);
  await page.getByRole("checkbox", { name: "Waiting room for the sales opening" }).check();
  await page.getByLabel("Sales open at").fill("2027-03-01T10:00");
  await page.getByLabel(/^Buyers let through per second/).fill("25");
  await page.getByRole("button", { name: "Save" }).first().click();
  await expect(page).toHaveURL(/done=saved/);
  expect(await db.editionQueue.findUniqueOrThrow({ where: { editionId: edition.id } })).toMatchObject({
    enabled: true,
    opensAt: new Date("2027-03-01T09:00:00Z"),
    admitPerSecond: 25,
  });
  await expect(page.getByLabel(/^Buyers let through per second/)).toHaveValue("25");
  await page.goto(`/admin/editions/${edition.slug}/audit`);
  // The entry lists the field before and after the change.
  await expect(page.getByText("Waiting room: sales open at")).toHaveCount(2);
});
