import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { registerAttendee } from "@/lib/orders/register";
import { signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { account, signInAs } from "./support/back-office";
import { expect, test, uniqueEmail } from "./support/database";

// Staff at the door on a phone let a team in: one member scanned, the others ticked and admitted at once.
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

const keys = () => ticketKeysFrom(process.env.TICKET_SIGNING_KEY!);

type Fixtures = Parameters<Parameters<typeof test>[2]>[0];

/** An edition this staff member scans at, and a confirmed team of three: two named, the third not yet. */
async function teamAtTheDoor(db: Fixtures["db"], newEdition: Fixtures["newEdition"], locale: "fr" | "en") {
  const edition = await newEdition({ capacity: 10, ticketTypes: [{ code: "team" }] });
  const staff = await db.user.findUniqueOrThrow({ where: { email: account("CHECKIN_STAFF").email } });
  await db.editionStaff.create({ data: { editionId: edition.id, userId: staff.id } });
  const attendee = (firstName: string) => ({ firstName, lastName: "Moreau", email: uniqueEmail(firstName) });
  const placed = await registerAttendee(
    db,
    edition.slug,
    {
      buyer: { ...attendee("Claire"), company: "Acme" },
      locale,
      tickets: [
        { ticketType: "team", attendee: attendee("Inès") },
        { ticketType: "team", attendee: attendee("Jules") },
        { ticketType: "team", attendee: null },
      ],
    },
    { holdMinutes: 35 },
  );
  if (!placed.ok) throw new Error(placed.reason);
  const tickets = await db.ticket.findMany({ where: { orderId: placed.order.id }, orderBy: { position: "asc" } });
  const code = signTicketCode(
    { ticketId: tickets[0].id, editionId: edition.id, codeVersion: tickets[0].codeVersion },
    keys().privateKey,
  );
  return { edition, tickets, code };
}

test("a team of three: one scanned, the two others admitted with one button, counts updated (fr)", async ({
  page,
  context,
  baseURL,
  db,
  newEdition,
}, testInfo) => {
  const { edition, tickets, code } = await teamAtTheDoor(db, newEdition, "fr");
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: baseURL! }]);
  await signInAs(context, "CHECKIN_STAFF");
  await page.goto(`/checkin/${edition.slug}`);
  await expect(page.getByTestId("checkin-counter")).toHaveText("0 / 3 arrivés");

  const field = page.getByLabel("Code du billet (douchette ou clavier)");
  await field.fill(code);
  await field.press("Enter");
  const answer = page.getByTestId("checkin-answer");
  await expect(answer).toHaveAttribute("data-result", "admitted");
  await expect(answer).toContainText("Inès Moreau");
  await expect(answer).toContainText("1 sur 3 de cette commande est entré·e");
  await answer.getByRole("button", { name: "Suivant" }).click();

  const panel = page.getByTestId("checkin-group-panel");
  await expect(panel.getByRole("heading", { level: 2 })).toHaveText("1 sur 3 de cette commande est entré·e");
  const jules = panel.getByRole("checkbox", { name: /Jules Moreau/ });
  const third = panel.getByRole("checkbox", { name: /Billet 3, pas encore nominatif/ });
  // Nobody is ticked for staff: only the people actually here get in.
  await expect(jules).not.toBeChecked();
  await expect(third).not.toBeChecked();
  await expect(panel.getByRole("button", { name: "Faire entrer les personnes cochées" })).toBeDisabled();
  await jules.check();
  await third.check();
  const box = (await panel.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: testInfo.outputPath("group-ticked-fr.png"), fullPage: true });
  const { violations } = await new AxeBuilder({ page }).include('[data-testid="checkin-group-panel"]').analyze();
  expect(violations.filter((violation) => ["serious", "critical"].includes(violation.impact ?? ""))).toEqual([]);

  await panel.getByRole("button", { name: "Faire entrer 2 personnes" }).click();
  await expect(panel.getByRole("alert")).toHaveText("2 personnes entrées.");
  await expect(panel.getByRole("heading", { level: 2 })).toHaveText("3 sur 3 de cette commande sont entré·e·s");
  await expect(page.getByTestId("checkin-counter")).toHaveText("3 / 3 arrivés");
  // The list stays the scanned ticket's others, now marked in.
  await expect(panel.getByRole("listitem")).toHaveText([
    /^Jules Moreau\s*team · déjà entré·e$/,
    /^Billet 3, pas encore nominatif\s*team · déjà entré·e$/,
  ]);
  await page.screenshot({ path: testInfo.outputPath("group-admitted-fr.png"), fullPage: true });

  const scans = await db.checkInScan.findMany({ where: { editionId: edition.id }, orderBy: { receivedAt: "asc" } });
  expect(scans.map((scan) => [scan.ticketId, scan.result, scan.viaTicketId])).toEqual([
    [tickets[0].id, "ADMITTED", null],
    [tickets[1].id, "ADMITTED", tickets[0].id],
    [tickets[2].id, "ADMITTED", tickets[0].id],
  ]);
  await panel.getByRole("button", { name: "Fermer" }).click();
  await expect(panel).toHaveCount(0);
  await expect(field).toBeFocused();
});

test("offline, the admitted others are judged on the phone, queued, and uploaded with their group (en)", async ({
  page,
  context,
  baseURL,
  db,
  newEdition,
}) => {
  const { edition, tickets, code } = await teamAtTheDoor(db, newEdition, "en");
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: baseURL! }]);
  await signInAs(context, "CHECKIN_STAFF");
  await page.goto(`/checkin/${edition.slug}`);
  await expect(page.getByText(/^Online · synced at/)).toBeVisible();

  const field = page.getByLabel("Ticket code (barcode scanner or keyboard)");
  await field.fill(code);
  await field.press("Enter");
  const answer = page.getByTestId("checkin-answer");
  await expect(answer).toHaveAttribute("data-result", "admitted");
  await answer.getByRole("button", { name: "Next" }).click();

  await context.setOffline(true);
  const panel = page.getByTestId("checkin-group-panel");
  await panel.getByRole("checkbox", { name: /Jules Moreau/ }).check();
  await panel.getByRole("button", { name: "Admit 1 selected" }).click();
  await expect(panel.getByRole("alert")).toContainText("1 admitted.");
  await expect(panel.getByRole("alert")).toContainText("Offline: checked on this device");
  await expect(panel.getByRole("heading", { level: 2 })).toHaveText("2 of 3 of this order are in");
  await expect(page.getByText("1 scan waiting to upload")).toBeVisible();
  expect((await db.ticket.findUniqueOrThrow({ where: { id: tickets[1].id } })).checkedInAt).toBeNull();

  await context.setOffline(false);
  await expect(page.getByText(/waiting to upload/)).toHaveCount(0, { timeout: 15_000 });
  const uploaded = await db.checkInScan.findFirstOrThrow({ where: { ticketId: tickets[1].id } });
  expect(uploaded).toMatchObject({ result: "ADMITTED", offline: true, viaTicketId: tickets[0].id });
  expect((await db.ticket.findUniqueOrThrow({ where: { id: tickets[2].id } })).checkedInAt).toBeNull();
});

test("the group API: the door's callers only, a body it checks, and a retry that replays", async ({
  request,
  db,
  newEdition,
}) => {
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  const { edition, tickets } = await teamAtTheDoor(db, newEdition, "en");
  const other = await newEdition({ capacity: 5 });
  const organiser = await db.user.findUniqueOrThrow({ where: { email: account("ORGANISER").email } });
  const tokenFor = async (editionId: string) => {
    const created = await createApiToken(db, organiser, { name: "door", scope: "CHECKIN", editionId });
    if (!created.ok || !created.token) throw new Error("no token");
    return { Authorization: `Bearer ${created.token}` };
  };
  const headers = await tokenFor(edition.id);
  const body = {
    ticketIds: [tickets[1].id, tickets[2].id],
    nonce: randomUUID(),
    deviceId: "door-api",
    viaTicketId: tickets[0].id,
  };
  const url = `/api/v1/checkin/${edition.slug}/group`;
  expect((await request.post(url, { data: body })).status()).toBe(401);
  expect((await request.post(url, { headers: await tokenFor(other.id), data: body })).status()).toBe(403);
  const invalid = await request.post(url, { headers, data: { ...body, ticketIds: [] } });
  expect(invalid.status()).toBe(400);
  expect(await invalid.json()).toMatchObject({ error: "invalid_scan" });

  const first = await request.post(url, { headers, data: body });
  expect(first.status()).toBe(200);
  expect((await first.json()).answers).toMatchObject([
    { ticketId: tickets[1].id, result: "admitted", replayed: false },
    { ticketId: tickets[2].id, result: "admitted", replayed: false, group: { inside: 2, of: 3 } },
  ]);
  const retried = await request.post(url, { headers, data: body });
  expect((await retried.json()).answers).toMatchObject([
    { result: "admitted", replayed: true },
    { result: "admitted", replayed: true },
  ]);
  expect(await db.checkInScan.count({ where: { editionId: edition.id } })).toBe(2);
});
