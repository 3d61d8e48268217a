import type { Page } from "@playwright/test";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { registerAttendee } from "@/lib/orders/register";
import { signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { account } from "./support/back-office";
import { expect, test, uniqueEmail } from "./support/database";

const keys = () => ticketKeysFrom(process.env.TICKET_SIGNING_KEY!);

/** The scans this device keeps in IndexedDB, waiting to be uploaded. */
const queuedOnDevice = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open("guichet-checkin", 1);
        open.onsuccess = () => {
          const count = open.result.transaction("queue", "readonly").objectStore("queue").count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );

async function doorSetUp(
  db: Parameters<Parameters<typeof test>[2]>[0]["db"],
  newEdition: Parameters<Parameters<typeof test>[2]>[0]["newEdition"],
) {
  const edition = await newEdition({ capacity: 5 });
  const organiser = await db.user.findUniqueOrThrow({ where: { email: account("ORGANISER").email } });
  const token = await createApiToken(db, organiser, { name: "door phone", scope: "CHECKIN", editionId: edition.id });
  if (!token.ok || !token.token) throw new Error("no token");
  const { id } = await db.apiToken.findFirstOrThrow({ where: { editionId: edition.id, name: "door phone" } });
  const registered = await registerAttendee(
    db,
    edition.slug,
    {
      ticketType: "free",
      attendee: { firstName: "Noor", lastName: "Haddad", email: uniqueEmail("queue") },
      locale: "en",
    },
    { holdMinutes: 35 },
  );
  if (!registered.ok) throw new Error(registered.reason);
  const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: registered.order.id } });
  const code = signTicketCode(
    { ticketId: ticket.id, editionId: edition.id, codeVersion: ticket.codeVersion },
    keys().privateKey,
  );
  return { edition, organiser, token: { secret: token.token, id }, ticket, code };
}

test("on a revoked token the scanner keeps offline scans, asks to sign in again, keeps the code field focused", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const { edition, organiser, token, ticket, code } = await doorSetUp(db, newEdition);
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await page.goto(`/checkin/${edition.slug}#device=${token.secret}`);
  await expect(page.getByTestId("checkin-counter")).toHaveText("0 / 1 checked in");
  const codeField = page.getByLabel("Ticket code (barcode scanner or keyboard)");
  await expect(codeField).toBeFocused();

  await context.setOffline(true);
  await codeField.fill(code);
  await codeField.press("Enter");
  const answer = page.getByTestId("checkin-answer");
  await expect(answer).toHaveAttribute("data-result", "admitted");
  await answer.getByRole("button", { name: "Next" }).click();
  await expect(codeField).toBeFocused();
  await expect(page.getByText("1 scan waiting to upload")).toBeVisible();

  // While the phone is offline, an organiser revokes its token: its upload will be refused.
  expect(await revokeApiToken(db, { ...organiser, role: organiser.role }, token.id)).toMatchObject({ ok: true });
  await context.setOffline(false);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign-in needed");
  await expect(page.getByTestId("checkin-kept")).toHaveText(
    "1 scan made on this device is kept here: it will be sent once you sign in again.",
  );
  expect(await queuedOnDevice(page)).toBe(1);
  expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).checkedInAt).toBeNull();
});

test("a device that let someone in offline refuses them a second time until the server has its scan", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const { edition, token, code } = await doorSetUp(db, newEdition);
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await page.goto(`/checkin/${edition.slug}#device=${token.secret}`);
  await expect(page.getByTestId("checkin-counter")).toHaveText("0 / 1 checked in");
  const codeField = page.getByLabel("Ticket code (barcode scanner or keyboard)");
  const answer = page.getByTestId("checkin-answer");

  await context.setOffline(true);
  await codeField.fill(code);
  await codeField.press("Enter");
  await expect(answer).toHaveAttribute("data-result", "admitted");
  await answer.getByRole("button", { name: "Next" }).click();

  // The network comes back but the check-in API fails: the snapshot syncs, the scan stays queued.
  await page.route("**/api/v1/checkin", (route) => route.fulfill({ status: 503, body: "{}" }));
  const synced = page.waitForResponse(
    (response) => response.url().endsWith(`/api/v1/checkin/${edition.slug}`) && response.ok(),
  );
  await context.setOffline(false);
  await synced;
  await expect(page.getByText("1 scan waiting to upload")).toBeVisible();

  await codeField.fill(code);
  await codeField.press("Enter");
  await expect(answer).toHaveAttribute("data-result", "already_checked_in");
  expect(await queuedOnDevice(page)).toBe(2);
});
