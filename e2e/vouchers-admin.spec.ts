import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { priceWithVoucher } from "@/lib/vouchers/pricing";
import { placeOrder } from "@/lib/orders/register";
import { createAllocation } from "@/lib/vouchers/allocations";
import { createOrganiser } from "@/devtools/testing/fixtures";
import { expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";
import { waitForEmailTo } from "./support/mailbox";

test.use({ locale: "en-GB" });

const labelled = (name: string) => new RegExp(`^${name.replace(/[()]/g, "\\$&")}( \\*)?$`);

async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => violation.id);
}

test("an organiser creates and generates codes, exports them, sends speaker passes, withdraws a code (en)", async ({
  page,
  db,
  newEdition,
}) => {
  test.setTimeout(90_000);
  page.on("dialog", (dialog) => void dialog.accept());
  const edition = await newEdition({
    capacity: 50,
    ticketTypes: [{ code: "conference", priceCents: 25000 }, { code: "speaker" }],
  });
  const [conference, speaker] = edition.ticketTypes;
  await db.ticketType.update({ where: { id: speaker.id }, data: { hidden: true } });
  const releaseAt = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 16);
  const blockForm = { name: "Speakers' block", seats: "5", ticketTypeId: "", releaseAt };
  const block = await createAllocation(db, await createOrganiser(db), edition.id, blockForm, new Date());
  if (!block.ok) throw new Error(JSON.stringify(block));
  await signInAs(page.context(), "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/ticket-types`);
  await page.getByRole("navigation", { name: "Edition sections" }).getByRole("link", { name: "Vouchers" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Vouchers and access codes" })).toBeVisible();

  // The code left empty is refused: generating codes is the other form's job.
  const create = page.getByRole("region", { name: "Create a code" });
  await create.getByLabel("Percentage off").fill("20");
  await create.getByRole("button", { name: "Create the code" }).click();
  await expect(create.getByLabel(labelled("Code"))).toHaveAccessibleDescription(/This field is required\./);
  expect(await db.voucher.count({ where: { editionId: edition.id } })).toBe(0);

  // One code, typed in lower case: stored as it will be printed.
  await create.getByLabel(labelled("Code")).fill("community 20");
  await create.getByLabel("Percentage off").fill("20");
  await create.getByLabel(labelled("Uses in total")).fill("50");
  await create.getByRole("button", { name: "Create the code" }).click();
  await expect(create.getByRole("status")).toHaveText("Code COMMUNITY-20 created.");

  // Five free codes of the hidden speaker type for a sponsor.
  const generate = page.getByRole("region", { name: "Generate codes" });
  await generate.getByLabel(labelled("Number of codes")).fill("5");
  await generate.getByLabel("Prefix (optional)").fill("acme");
  await generate.getByLabel(labelled("Effect")).selectOption({ label: "Free" });
  await generate.getByRole("checkbox", { name: "Valid for “speaker” (hidden type)" }).check();
  await generate.getByLabel("Tag (optional)").fill("acme");
  await generate.getByRole("button", { name: "Generate the codes" }).click();
  await expect(generate.getByRole("status")).toHaveText("5 codes generated.");

  await page.reload();
  await expect(page.getByTestId("voucher-count")).toHaveText("6 codes");
  const filters = page.getByRole("search", { name: "Filter" });
  await filters.getByLabel("Tag").selectOption("acme");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("voucher-count")).toHaveText("5 codes");
  await expect(page.getByTestId("voucher-list").getByRole("row").filter({ hasText: /ACME-/ })).toHaveCount(5);
  await expect(page.getByTestId("voucher-list")).toContainText("speaker");
  expect(await seriousViolations(page)).toEqual([]);

  // The sponsor's CSV: five codes, each with the edition's page and the code filled in (French links by default).
  const exporting = page.getByRole("region", { name: "Download the codes" });
  await expect(exporting.getByLabel("Codes")).toHaveValue("acme");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    exporting.getByRole("button", { name: "Download the CSV" }).click(),
  ]);
  const csv = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
  const [header, ...rows] = csv.trimEnd().split("\r\n");
  expect(header).toBe(
    "Code,Étiquette,Effet,Types de billet,Utilisations,Utilisations restantes,Utilisations par commande," +
      "Valable jusqu’au,Lien,Actif",
  );
  expect(rows).toHaveLength(5);
  for (const row of rows) {
    const code = row.split(",")[0];
    expect(code).toMatch(/^ACME-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(row).toContain(`/fr/editions/${edition.slug}?code=${code}`);
  }

  // Speaker passes from pretalx's CSV: each speaker gets their code by email, in their language.
  const grace = uniqueEmail("grace");
  const ada = uniqueEmail("ada");
  const speakers = page.getByRole("region", { name: "Speaker passes" });
  await speakers
    .getByLabel(labelled("Speakers’ CSV file"))
    .setInputFiles({ name: "speakers.csv", mimeType: "text/csv", buffer: Buffer.from("") });
  await speakers.getByRole("button", { name: "Create and send the passes" }).click();
  await expect(speakers.getByRole("alert")).toHaveText("This file is empty: nothing was created.");
  await speakers.getByLabel(labelled("Speakers’ CSV file")).setInputFiles({
    name: "speakers.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(
      `\uFEFFID;Name;E-Mail;Locale\r\nK7QXM;Grace Hopper;${grace};en\r\nM3PAB;Ada Lovelace;${ada};fr\r\n`,
    ),
  });
  await expect(speakers.getByLabel(labelled("Ticket type"))).toHaveValue(speaker.id);
  // Their passes draw on the block, so they get in even when general sale sells out.
  await speakers.getByLabel("Reserved block (optional)").selectOption({ label: "Speakers' block" });
  await speakers.getByRole("button", { name: "Create and send the passes" }).click();
  await expect(speakers.getByRole("status")).toHaveText("2 codes created and emailed; no speaker already had one.");
  const toGrace = await waitForEmailTo(grace, { subject: `Your speaker pass for ${edition.nameEn}` });
  expect(toGrace.text).toMatch(new RegExp(`/en/editions/${edition.slug}\\?code=SPEAKER-[2-9A-Z]{4}-[2-9A-Z]{4}`));
  const toAda = await waitForEmailTo(ada, { subject: `Votre pass speaker pour ${edition.nameFr}` });
  expect(toAda.text).toMatch(new RegExp(`/fr/editions/${edition.slug}\\?code=SPEAKER-`));
  const passes = await db.voucher.findMany({ where: { editionId: edition.id, tag: "speakers" } });
  expect(passes.map((pass) => pass.allocationId)).toEqual([block.allocation.id, block.allocation.id]);

  // An order placed with COMMUNITY-20 (two tickets at 20 % off), then the code is withdrawn.
  const community = await db.voucher.findFirstOrThrow({ where: { editionId: edition.id, code: "COMMUNITY-20" } });
  const price = priceWithVoucher(conference.priceCents, { effect: "PERCENT_OFF", percentOff: 20 }, edition.currency);
  const placed = await placeOrder(db, {
    edition,
    buyer: { firstName: "Katherine", lastName: "Johnson", email: uniqueEmail("community"), company: null },
    tickets: [1, 2].map(() => ({
      ticketType: conference,
      attendee: null,
      answers: {},
      priceCents: price.priceCents,
      voucherId: community.id,
      discountCents: price.discountCents,
    })),
    locale: "en",
    holdExpiresAt: null,
    checkOffer: true,
    now: new Date(),
  });
  expect(placed.ok).toBe(true);

  await page.goto(`/admin/editions/${edition.slug}/vouchers`);
  const row = page.getByTestId("voucher-list").getByRole("row").filter({ hasText: "COMMUNITY-20" });
  await expect(row).toContainText("2 / 50");
  await row.getByRole("button", { name: "Deactivate COMMUNITY-20" }).click();
  await expect(row.getByRole("status")).toHaveText("Code deactivated.");
  await page.reload();
  await expect(row).toContainText("Deactivated");
  await expect(row.getByRole("button", { name: "Reactivate COMMUNITY-20" })).toBeVisible();

  // The report counts the order, its tickets and what the code gave away.
  await page.getByRole("link", { name: "Redemption report" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Redemption report" })).toBeVisible();
  const byCode = page.getByTestId("report-by-code").getByRole("row").filter({ hasText: "COMMUNITY-20" });
  await expect(byCode.getByRole("cell")).toHaveText(["No tag", "1", "2", "€100.00"]);
  const total = page.getByTestId("report-by-tag").getByRole("row").filter({ hasText: "Total" });
  await expect(total.getByRole("cell")).toHaveText(["1", "2", "€100.00"]);

  // The audit log reads in the organiser's words: labels, the block's and the types' names, never their ids.
  await page.goto(`/admin/editions/${edition.slug}/audit`);
  const log = page.getByRole("table");
  await expect(log).toContainText("Reserved block Speakers' block");
  await expect(log).toContainText("Ticket types speaker");
  await expect(log).toContainText("Code usable no");
  const created = log.getByRole("row").filter({ hasText: "COMMUNITY-20" }).filter({ hasText: "Uses in total 50" });
  await expect(created).toContainText("Ticket types Every listed type");
  await expect(created).toContainText("Effect Percentage off");
  await expect(log).not.toContainText(block.allocation.id);
  await expect(log).not.toContainText(speaker.id);
  await expect(log).not.toContainText("allocationId");
  const blockEntry = log.getByRole("row").filter({ hasText: "Seats 5" });
  await expect(blockEntry.getByRole("cell").nth(2)).toContainText("Speakers' block");
});

test("the vouchers list on a phone, in French, scrolls in its own frame", async ({ browser, db, newEdition }) => {
  const edition = await newEdition({ capacity: 10, ticketTypes: [{ code: "conference", priceCents: 9900 }] });
  await db.voucher.create({
    data: { editionId: edition.id, code: "MEETUP-2027", codeKey: "MEETUP2027", effect: "PERCENT_OFF", percentOff: 15 },
  });
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: "fr-FR",
  });
  const page = await context.newPage();
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/vouchers`);
  await expect(page.getByRole("heading", { level: 2, name: "Codes de réduction et d’accès" })).toBeVisible();
  const row = page.getByTestId("voucher-list").getByRole("row").filter({ hasText: "MEETUP-2027" });
  await expect(row).toContainText("−15\u00a0%");
  await expect(row).toContainText("Actif");
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});

test("the vouchers list in French says each code's state and fits a laptop's width", async ({
  browser,
  db,
  newEdition,
}) => {
  const edition = await newEdition({
    capacity: 10,
    ticketTypes: [
      { code: "conference", priceCents: 9900 },
      { code: "volunteer", priceCents: 0 },
    ],
  });
  const DAY = 86_400_000;
  const voucher = (code: string, data: Record<string, unknown> = {}) =>
    db.voucher.create({
      data: {
        editionId: edition.id,
        code,
        codeKey: code.replaceAll("-", ""),
        effect: "PERCENT_OFF",
        percentOff: 10,
        ...data,
      },
    });
  await voucher("FORMULA-1", { tag: '=HYPERLINK("http://evil.example","x")', maxUses: 10, maxUsesPerOrder: 2 });
  await voucher("ONESHOT-50", { maxUses: 1, used: 1 });
  await voucher("EXPIRED-10", { maxUses: 10, validUntil: new Date(Date.now() - DAY) });
  await voucher("NOTYET-10", { maxUses: 10, validFrom: new Date(Date.now() + 40 * DAY) });
  await voucher("WITHDRAWN-10", { maxUses: 10, active: false });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fr-FR" });
  const page = await context.newPage();
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/vouchers`);
  await expect(page.getByRole("heading", { level: 2, name: "Codes de réduction et d’accès" })).toBeVisible();

  const state = (code: string) =>
    page.getByTestId("voucher-list").getByRole("row").filter({ hasText: code }).locator(".badge");
  await expect(state("FORMULA-1")).toHaveText("Actif");
  await expect(state("ONESHOT-50")).toHaveText("Épuisé");
  await expect(state("EXPIRED-10")).toHaveText("Expiré");
  await expect(state("NOTYET-10")).toHaveText("Pas encore valable");
  await expect(state("WITHDRAWN-10")).toHaveText("Désactivé");
  await expect(page.getByTestId("voucher-list").getByRole("row").filter({ hasText: "FORMULA-1" })).toContainText(
    "2 au plus par commande",
  );

  // The table fits its frame: every Deactivate button shows whole, without scrolling sideways.
  const frame = page.getByRole("region", { name: "Les codes de l’édition" });
  const overflow = () => frame.evaluate((element) => element.scrollWidth - element.clientWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  // On a phone the page itself never scrolls sideways: the table scrolls in its frame.
  await page.setViewportSize({ width: 390, height: 844 });
  const pageOverflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(pageOverflow).toBeLessThanOrEqual(0);
  await context.close();
});
