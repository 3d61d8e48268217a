import { expect, test, uniqueEmail } from "./support/database";
import { fillAttendee, LABELS } from "./support/registration-form";
import { openWaitingRoom, startQueueInstance } from "./support/waiting-room";

let instance: Awaited<ReturnType<typeof startQueueInstance>>;

test.beforeAll(async () => {
  instance = await startQueueInstance();
});

test.afterAll(() => {
  instance?.stop();
});

test("waits in French on a phone, without horizontal scrolling, then registers", async ({ page, db, newEdition }) => {
  const edition = await newEdition({ capacity: 20 });
  await openWaitingRoom(db, edition.id, 1, 3);
  await page.goto(`${instance.baseUrl}/fr/editions/${edition.slug}/register`);
  await expect(page.getByRole("heading", { level: 1, name: `File d’attente\u00a0: ${edition.nameFr}` })).toBeVisible();
  await expect(page.getByTestId("queue-position")).toHaveText(/^Vous êtes en position [1-4] dans la file\.$/);
  await expect(page.getByText("20 places restantes")).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);

  await expect(
    page.getByRole("heading", { level: 1, name: new RegExp(`^Inscription.*${edition.nameFr}$`) }),
  ).toBeVisible({
    timeout: 15_000,
  });
  await fillAttendee(page, "fr", { firstName: "Margaret", lastName: "Hamilton", email: uniqueEmail("queue-phone") });
  await page.getByRole("button", { name: LABELS.fr.submit }).tap();
  await expect(page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible();
});
