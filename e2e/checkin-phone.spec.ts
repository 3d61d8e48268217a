import { randomUUID } from "node:crypto";
import { chromium, type BrowserContext } from "@playwright/test";
import { registerAttendee } from "@/lib/orders/register";
import { signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { expect, test, uniqueEmail } from "./support/database";
import { account, signInAs } from "./support/back-office";
import { writeQrVideo } from "./support/fake-camera";

const keys = () => ticketKeysFrom(process.env.TICKET_SIGNING_KEY!);

test.describe("check-in at the door from a phone", () => {
  test("staff scan a real QR code through the camera, then a forged code, then work offline and sync (fr)", async ({
    db,
    newEdition,
    baseURL,
  }, testInfo) => {
    test.setTimeout(120_000);
    const edition = await newEdition({ capacity: 10 });
    const staff = await db.user.findUniqueOrThrow({ where: { email: account("CHECKIN_STAFF").email } });
    await db.editionStaff.create({ data: { editionId: edition.id, userId: staff.id } });
    const people = [];
    for (const name of ["Camille", "Dominique", "Sacha"]) {
      const result = await registerAttendee(
        db,
        edition.slug,
        {
          ticketType: "free",
          attendee: { firstName: name, lastName: "Martin", email: uniqueEmail(name.toLowerCase()) },
          locale: "fr",
        },
        { holdMinutes: 35 },
      );
      if (!result.ok) throw new Error(result.reason);
      const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
      people.push({
        ticket,
        code: signTicketCode(
          { ticketId: ticket.id, editionId: edition.id, codeVersion: ticket.codeVersion },
          keys().privateKey,
        ),
      });
    }

    // The phone's camera films Camille's real ticket QR code.
    const video = testInfo.outputPath("ticket.y4m");
    await writeQrVideo(video, people[0].code);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    const context: BrowserContext = await browser.newContext({
      baseURL,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: "fr-FR",
      permissions: ["camera"],
    });
    try {
      await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: baseURL! }]);
      await signInAs(context, "CHECKIN_STAFF");
      const page = await context.newPage();
      await page.goto(`/checkin/${edition.slug}`);
      await expect(page.getByRole("heading", { level: 1, name: `Accueil · ${edition.nameFr}` })).toBeVisible();
      await expect(page.getByTestId("checkin-counter")).toHaveText("0 / 3 arrivés");
      await expect(page.getByText(/En ligne · synchronisé à/)).toBeVisible();

      await page.getByRole("button", { name: "Scanner avec la caméra" }).click();
      const answer = page.getByTestId("checkin-answer");
      await expect(answer).toHaveAttribute("data-result", "admitted", { timeout: 15_000 });
      await expect(answer).toContainText("Bienvenue !");
      await expect(answer).toContainText("Camille Martin");
      await page.screenshot({ path: testInfo.outputPath("admitted.png") });
      await page.getByRole("button", { name: "Arrêter la caméra" }).click();
      await expect(page.getByTestId("checkin-counter")).toHaveText("1 / 3 arrivés");
      expect((await db.ticket.findUniqueOrThrow({ where: { id: people[0].ticket.id } })).checkedInAt).not.toBeNull();

      // A barcode scanner (or a keyboard) types codes: the same ticket again, then a forged one.
      const codeField = page.getByLabel("Code du billet (douchette ou clavier)");
      await codeField.fill(people[0].code);
      await codeField.press("Enter");
      await expect(answer).toHaveAttribute("data-result", "already_checked_in");
      await expect(answer).toContainText("Déjà entré·e");
      await answer.getByRole("button", { name: "Suivant" }).click();
      const forged = people[1].code.slice(0, 60) + (people[1].code[60] === "A" ? "B" : "A") + people[1].code.slice(61);
      await codeField.fill(forged);
      await codeField.press("Enter");
      await expect(answer).toHaveAttribute("data-result", "forged");
      await expect(answer).toContainText("Code faux ou illisible");
      await answer.getByRole("button", { name: "Suivant" }).click();

      // A barcode scanner can be faster than the network: codes typed back to back are all answered and kept.
      const scansBefore = await db.checkInScan.count({ where: { editionId: edition.id } });
      for (const code of [people[0].code, forged, people[0].code]) {
        await codeField.fill(code);
        await codeField.press("Enter");
      }
      await expect.poll(() => db.checkInScan.count({ where: { editionId: edition.id } })).toBe(scansBefore + 3);
      await expect(answer).toHaveAttribute("data-result", "already_checked_in");
      await answer.getByRole("button", { name: "Suivant" }).click();

      // The network drops: Dominique is let in by this phone on its own, and the scan waits.
      await context.setOffline(true);
      await codeField.fill(people[1].code);
      await codeField.press("Enter");
      await expect(answer).toHaveAttribute("data-result", "admitted");
      await expect(answer).toContainText("Hors ligne : vérifié sur cet appareil");
      await answer.getByRole("button", { name: "Suivant" }).click();
      await expect(page.getByText("1 scan en attente d’envoi")).toBeVisible();
      await expect(page.getByTestId("checkin-counter")).toHaveText("2 / 3 arrivés");
      expect((await db.ticket.findUniqueOrThrow({ where: { id: people[1].ticket.id } })).checkedInAt).toBeNull();
      await page.screenshot({ path: testInfo.outputPath("offline.png") });

      // Back online: the queued scan goes up with its own time.
      await context.setOffline(false);
      await expect(page.getByText(/attente d’envoi/)).toHaveCount(0, { timeout: 15_000 });
      const uploaded = await db.checkInScan.findFirstOrThrow({ where: { ticketId: people[1].ticket.id } });
      expect(uploaded).toMatchObject({ result: "ADMITTED", offline: true, offlineConflict: false });
      expect(uploaded.scannedAt.getTime()).toBeLessThan(uploaded.receivedAt.getTime());

      // Sacha forgot the ticket: found by name, checked in by hand.
      await page.getByLabel("Retrouver quelqu’un sans son billet").fill("Sacha");
      await page.getByRole("button", { name: "Chercher" }).click();
      await page.getByRole("button", { name: "Faire entrer Sacha Martin" }).click();
      await expect(answer).toHaveAttribute("data-result", "admitted");
      await expect(page.getByTestId("checkin-counter")).toHaveText("3 / 3 arrivés");
    } finally {
      await context.close();
      await browser.close();
    }
  });

  test("staff not assigned to an edition, and strangers, are refused its scanner and its API", async ({
    page,
    context,
    request,
    newEdition,
  }) => {
    const edition = await newEdition({ capacity: 5 });
    const scan = { edition: edition.slug, code: "G1x", nonce: randomUUID(), deviceId: "door-x" };
    expect((await request.post("/api/v1/checkin", { data: scan })).status()).toBe(401);
    expect((await request.get(`/api/v1/checkin/${edition.slug}`)).status()).toBe(401);
    await signInAs(context, "CHECKIN_STAFF");
    expect((await context.request.post("/api/v1/checkin", { data: scan })).status()).toBe(403);
    await page.goto(`/checkin/${edition.slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      /Édition non attribuée|Not assigned to this edition/,
    );
  });
});

test("a door device with only a token (no account) scans through the API, for its own edition only", async ({
  request,
  db,
  newEdition,
}) => {
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  const [edition, other] = [await newEdition({ capacity: 5 }), await newEdition({ capacity: 5 })];
  const organiser = await db.user.findUniqueOrThrow({ where: { email: account("ORGANISER").email } });
  const created = await createApiToken(db, organiser, { name: "door 2", scope: "CHECKIN", editionId: edition.id });
  if (!created.ok || !created.token) throw new Error("no token");
  const headers = { Authorization: `Bearer ${created.token}` };
  const result = await registerAttendee(
    db,
    edition.slug,
    {
      ticketType: "free",
      attendee: { firstName: "Ada", lastName: "Byron", email: uniqueEmail("door-token") },
      locale: "en",
    },
    { holdMinutes: 35 },
  );
  if (!result.ok) throw new Error(result.reason);
  const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
  const code = signTicketCode({ ticketId: ticket.id, editionId: edition.id, codeVersion: 1 }, keys().privateKey);
  const snapshot = await request.get(`/api/v1/checkin/${edition.slug}`, { headers });
  expect(snapshot.status()).toBe(200);
  expect((await snapshot.json()).tickets.map((row: { id: string }) => row.id)).toEqual([ticket.id]);
  const nonce = randomUUID();
  const scan = { edition: edition.slug, code, nonce, deviceId: "door-2" };
  const first = await request.post("/api/v1/checkin", { headers, data: scan });
  expect(await first.json()).toMatchObject({ result: "admitted", replayed: false, attendee: { name: "Ada Byron" } });
  const retried = await request.post("/api/v1/checkin", { headers, data: scan });
  expect(await retried.json()).toMatchObject({ result: "admitted", replayed: true });
  expect(
    (
      await request.post("/api/v1/checkin", { headers, data: { ...scan, edition: other.slug, nonce: randomUUID() } })
    ).status(),
  ).toBe(403);
  expect(
    (await request.post("/api/v1/checkin", { headers, data: { edition: edition.slug, nonce: "x" } })).status(),
  ).toBe(400);
});

test("the scanner installs as an app and opens again without network (en)", async ({
  page,
  context,
  request,
  newEdition,
  db,
}) => {
  const manifest = await request.get("/checkin/manifest.webmanifest");
  expect(await manifest.json()).toMatchObject({ start_url: "/checkin", scope: "/checkin/", display: "standalone" });
  expect((await request.get("/checkin/sw.js")).headers()["content-type"]).toContain("javascript");

  const edition = await newEdition({ capacity: 5 });
  const staff = await db.user.findUniqueOrThrow({ where: { email: account("CHECKIN_STAFF").email } });
  await db.editionStaff.create({ data: { editionId: edition.id, userId: staff.id } });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "CHECKIN_STAFF");
  await page.goto(`/checkin/${edition.slug}`);
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/checkin/manifest.webmanifest");
  await expect(page.getByTestId("checkin-counter")).toHaveText("0 / 0 checked in");
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect(page.getByTestId("checkin-counter")).toHaveText("0 / 0 checked in");

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Check-in · ${edition.nameEn}`);
  await expect(page.getByText(/^Offline: entries are checked on this device · synced at/)).toBeVisible();
  await context.setOffline(false);
});
