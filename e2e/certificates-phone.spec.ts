import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext, Page } from "@playwright/test";
import { PNG } from "pngjs";
import { pdfText } from "@/devtools/testing/pdf-text";
import { signInAs } from "./support/back-office";
import { expect, test, uniqueEmail } from "./support/database";
import { waitForEmailTo } from "./support/mailbox";

async function expectNoSeriousViolations(page: Page) {
  // Next streams a page's metadata after its body: axe must not read the document before its title has come.
  await expect(page).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(", ")}`)).toEqual(
    [],
  );
}

// A signature as an organiser would upload it: a dark stroke on a transparent PNG.
function signaturePng(): Buffer {
  const png = new PNG({ width: 300, height: 100 });
  for (let x = 20; x < 280; x += 1) {
    const y = 50 + Math.round(20 * Math.sin(x / 20));
    png.data.set([20, 30, 90, 255], (y * 300 + x) * 4);
  }
  return PNG.sync.write(png);
}

// A photo-sized signature (about 1.5 MB: noise does not compress), over Next's default 1 MB server action body.
/** An organiser's settings page in French, on its certificates section with a signatory typed in. */
async function certificatesSection(page: Page, context: BrowserContext, slug: string) {
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${slug}/settings`);
  const section = page.getByRole("region", { name: "Attestations de présence" });
  await section.getByLabel("Signataire", { exact: true }).fill("Camille Martin");
  return section;
}

function heavyPng(): Buffer {
  const png = new PNG({ width: 640, height: 600 });
  png.data = randomBytes(png.data.length);
  return PNG.sync.write(png);
}

test("in French on a phone: who came downloads their certificate of attendance, a no-show has none", async ({
  page,
  context,
  request,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 10, ticketTypes: [{ code: "free" }] });
  const register = async (firstName: string, lastName: string) => {
    const attendee = { firstName, lastName, email: uniqueEmail("certificate") };
    const answer = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
      data: { ticketType: "free", attendee, locale: "fr" },
    });
    expect(answer.status()).toBe(201);
    return db.ticket.findFirstOrThrow({ where: { email: attendee.email }, include: { order: true } });
  };
  const came = await register("Юлия", "Łukasiewicz");
  const away = await register("Paul", "Absent");
  // The edition took place yesterday; its organisers set certificates up; one attendee was admitted at the door.
  const day = 24 * 60 * 60 * 1000;
  await db.edition.update({
    where: { id: edition.id },
    data: { startsAt: new Date(Date.now() - 2 * day), endsAt: new Date(Date.now() - day) },
  });
  await db.certificateSettings.create({
    data: {
      editionId: edition.id,
      enabled: true,
      minutes: 450,
      signatoryName: "Camille Martin",
      signatoryTitle: "Présidente",
      signature: Uint8Array.from(signaturePng()),
      signatureType: "image/png",
    },
  });
  await db.ticket.update({ where: { id: came.id }, data: { checkedInAt: new Date(Date.now() - 2 * day + 3600_000) } });

  await page.goto(`/fr/tickets/${came.accessToken}`);
  const link = page.getByRole("link", { name: "Télécharger votre attestation de présence (PDF)" });
  await expect(link).toBeVisible();
  expect(await page.evaluate(() => [innerWidth, document.documentElement.scrollWidth])).toEqual([390, 390]);
  await expectNoSeriousViolations(page);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(`attestation-${came.order.reference}-1.pdf`);
  const text = pdfText(await readFile((await download.path())!));
  for (const line of ["Attestation de présence", "Юлия Łukasiewicz", edition.nameFr, "Durée\u00a0: 7\u00a0h\u00a030"]) {
    expect(text.split("\n"), line).toContain(line);
  }
  const file = await request.get(`/fr/tickets/${came.accessToken}/certificate.pdf`);
  expect(file.headers()["content-type"]).toBe("application/pdf");
  expect(file.headers()["cache-control"]).toBe("private, no-store");

  // The language of this attendee's own emails (messages, reminders, the certificate): the order's until chosen here.
  const languages = page.getByRole("group", { name: "Vos e-mails en" });
  await expect(languages.getByRole("button", { name: "Français" })).toHaveAttribute("aria-pressed", "true");
  await languages.getByRole("button", { name: "English" }).click();
  await expect(languages.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
  expect((await db.ticket.findUniqueOrThrow({ where: { id: came.id } })).locale).toBe("en");
  expect(await page.evaluate(() => [innerWidth, document.documentElement.scrollWidth])).toEqual([390, 390]);

  // The buyer's page of that (solo) order offers it too, by position.
  await page.goto(`/fr/orders/${came.order.accessToken}`);
  await expect(page.getByTestId("certificate-link")).toHaveAttribute("href", /certificate\.pdf\?position=1$/);

  // The no-show: no link, and the address answers as an unknown link does.
  await page.goto(`/fr/tickets/${away.accessToken}`);
  await expect(page.getByTestId("own-ticket-holder")).toContainText("Paul Absent");
  await expect(page.getByTestId("certificate-link")).toHaveCount(0);
  await expectNoSeriousViolations(page);
  const refused = await request.get(`/fr/tickets/${away.accessToken}/certificate.pdf`);
  const unknown = await request.get(`/fr/tickets/${"x".repeat(43)}/certificate.pdf`);
  expect(refused.status()).toBe(404);
  expect(await refused.json()).toEqual(await unknown.json());
  expect((await request.get(`/fr/orders/${away.order.accessToken}/certificate.pdf?position=1`)).status()).toBe(404);

  // The organisers email them all: only the one who came gets it, and a second click sends nothing more.
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/settings`);
  const sendAll = page.getByRole("region", { name: "Envoyer les attestations" });
  await expect(sendAll.getByTestId("certificate-send-counts")).toHaveText(
    "1 participant a une attestation ; aucune envoyée pour l’instant.",
  );
  page.once("dialog", (dialog) => dialog.accept());
  await sendAll.getByRole("button", { name: "Envoyer leur attestation à toutes les personnes venues (1)" }).click();
  await expect(sendAll.getByText("Attestation en route vers 1 participant.")).toBeVisible();
  // In the language the attendee chose on their ticket page.
  const mail = await waitForEmailTo(came.email!, { subject: /^Your certificate of attendance/ });
  expect(mail.attachments.map((attachment) => attachment.filename)).toEqual([
    `certificate-${came.order.reference}-1.pdf`,
  ]);
  expect(await db.emailOutbox.findMany({ where: { editionId: edition.id, kind: "certificate_ready" } })).toEqual([
    expect.objectContaining({ toAddress: came.email }),
  ]);
  await page.reload();
  await expect(sendAll.getByTestId("certificate-send-counts")).toHaveText(
    "1 participant a une attestation ; 1 déjà envoyée.",
  );
  await sendAll.getByRole("button", { name: "Envoyer leur attestation à toutes les personnes venues (0)" }).click();
  await expect(sendAll.getByText("Toutes les personnes venues ont déjà reçu la leur.")).toBeVisible();
  expect(await db.emailOutbox.count({ where: { editionId: edition.id, kind: "certificate_ready" } })).toBe(1);
});

test("in French on a phone: an organiser sets certificates up; a signature is judged by its bytes", async ({
  page,
  context,
  request,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 10 });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/settings`);
  const section = page.getByRole("region", { name: "Attestations de présence" });
  await expect(section.getByTestId("certificate-signature")).toHaveText("Pas encore de signature.");
  await expect(section.getByTestId("certificate-signature-image")).toHaveCount(0);
  await section.getByLabel("Proposer des attestations de présence").check();
  await section.getByLabel("Durée de présence (minutes)").fill("450");
  await section.getByLabel("Signataire", { exact: true }).fill("Camille Martin");
  const gif = Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1");
  const file = section.getByLabel("Image de la signature");
  await file.setInputFiles({ name: "signature.png", mimeType: "image/png", buffer: gif });
  await section.getByRole("button", { name: "Enregistrer les réglages des attestations" }).click();
  await expect(section.getByText("Choisissez une image PNG ou JPEG.")).toBeVisible();
  expect(await db.certificateSettings.count({ where: { editionId: edition.id } })).toBe(0);

  await file.setInputFiles({ name: "signature.png", mimeType: "image/png", buffer: signaturePng() });
  await section.getByRole("button", { name: "Enregistrer les réglages des attestations" }).click();
  await expect(section.getByText("Réglages des attestations enregistrés.")).toBeVisible();
  await expect(section.getByTestId("certificate-signature")).toHaveText(/^Signature actuelle\u00a0: PNG, 1\u00a0Ko\.$/);
  // The saved image is shown as it is stored, to organisers only and never cached.
  const image = section.getByRole("img", { name: "La signature actuelle, telle qu’imprimée sur les attestations" });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBe(300);
  const shown = await page.request.get((await image.getAttribute("src"))!);
  expect(shown.headers()["content-type"]).toBe("image/png");
  expect(shown.headers()["cache-control"]).toBe("private, no-store");
  expect(Buffer.from(await shown.body()).equals(signaturePng())).toBe(true);
  const stranger = await request.get(`/admin/editions/${edition.slug}/settings/signature`, { maxRedirects: 0 });
  expect([stranger.status(), stranger.headers()["location"]]).toEqual([307, expect.stringContaining("/admin/sign-in")]);
  expect(await db.certificateSettings.findUniqueOrThrow({ where: { editionId: edition.id } })).toMatchObject({
    enabled: true,
    minutes: 450,
    signatoryName: "Camille Martin",
    signatureType: "image/png",
  });
  const [sample] = await Promise.all([
    page.waitForEvent("download"),
    section.getByTestId("certificate-sample").click(),
  ]);
  const sampleText = pdfText(await readFile((await sample.path())!));
  expect(sampleText.split("\n")).toEqual(expect.arrayContaining(["Camille Exemple", "Durée\u00a0: 7\u00a0h\u00a030"]));
  expect(await page.evaluate(() => [innerWidth, document.documentElement.scrollWidth])).toEqual([390, 390]);
  await expectNoSeriousViolations(page);
});

test("in French on a phone: a 1.5 MB signature is refused at its field, before it is sent", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const edition = await newEdition({ capacity: 10 });
  const section = await certificatesSection(page, context, edition.slug);
  const heavy = heavyPng();
  expect(heavy.byteLength).toBeGreaterThan(1.4 * 1024 * 1024);
  const file = section.getByLabel("Image de la signature");
  await file.setInputFiles({ name: "signature.png", mimeType: "image/png", buffer: heavy });
  const error = section.getByText("L’image dépasse 200 Ko.");
  await expect(error).toBeVisible();
  await expect(file).toHaveAttribute("aria-invalid", "true");
  await expect(file).toHaveAccessibleDescription(/L’image dépasse 200\sKo\.$/);
  await section.getByRole("button", { name: "Enregistrer les réglages des attestations" }).click();
  await expect(file).toBeFocused();
  await expect(error).toBeVisible();
  await expect(section.getByLabel("Signataire", { exact: true })).toHaveValue("Camille Martin");
  expect(await db.certificateSettings.count({ where: { editionId: edition.id } })).toBe(0);
  await expectNoSeriousViolations(page);

  // A lighter one clears the refusal and is saved.
  await file.setInputFiles({ name: "signature.png", mimeType: "image/png", buffer: signaturePng() });
  await expect(error).toHaveCount(0);
  await expect(file).toHaveAttribute("aria-invalid", "false");
  await section.getByRole("button", { name: "Enregistrer les réglages des attestations" }).click();
  await expect(section.getByText("Réglages des attestations enregistrés.")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("in French on a phone: a 1.5 MB signature reaches the server, which refuses it at its field", async ({
    page,
    context,
    db,
    newEdition,
  }) => {
    const edition = await newEdition({ capacity: 10 });
    const section = await certificatesSection(page, context, edition.slug);
    await section
      .getByLabel("Image de la signature")
      .setInputFiles({ name: "signature.png", mimeType: "image/png", buffer: heavyPng() });
    await section.getByRole("button", { name: "Enregistrer les réglages des attestations" }).click();
    await expect(section.getByText("L’image dépasse 200 Ko.")).toBeVisible();
    expect(await db.certificateSettings.count({ where: { editionId: edition.id } })).toBe(0);
  });
});
