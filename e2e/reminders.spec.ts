import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { simpleParser } from "mailparser";
import { signInAs } from "./support/back-office";
import { advanceClock, expect, test } from "./support/clock";
import { uniqueEmail } from "./support/database";
import { waitForEmailTo } from "./support/mailbox";
import { fillAttendee, LABELS } from "./support/registration-form";
import { startSecondInstance } from "./support/second-instance";
import type { Db } from "@/lib/db/prisma";
import { practicalInfoDue } from "@/lib/messages/practical-info";

// Issue 19: the practical information leaves once, at the time the organiser set, in each attendee's language,
// whichever of two instances sweeps and however many sweeps follow.

const DAY = 86_400_000;

/** How many captured emails went to `address` with a subject matching `subject` (headers decoded). */
async function emailsTo(address: string, subject: RegExp): Promise<number> {
  const dir = process.env.MAIL_CAPTURE_DIR!;
  let count = 0;
  for (const name of readdirSync(dir).filter((file) => file.endsWith(".eml"))) {
    const raw = readFileSync(path.join(dir, name));
    if (!raw.includes(address)) continue;
    const mail = await simpleParser(raw);
    const to = mail.to && !Array.isArray(mail.to) ? mail.to.text : "";
    if (to === address && subject.test(mail.subject ?? "")) count += 1;
  }
  return count;
}

/**
 * A message to nobody (the edition's empty waiting list), due at `at` on the app's clock: once the sweep has set it
 * QUEUED, a sweep has run at or after `at`. What the spec waits on instead of sleeping through sweep periods.
 */
async function sweptPast(db: Db, editionId: string, at: Date) {
  const marker = await db.message.create({
    data: { editionId, audience: "WAITING_LIST", subjectEn: "Marker", bodyEn: "-", status: "SCHEDULED", sendAt: at },
  });
  await expect
    .poll(async () => (await db.message.findUniqueOrThrow({ where: { id: marker.id } })).status, { timeout: 30_000 })
    .toBe("QUEUED");
}

async function register(page: Page, slug: string, locale: "fr" | "en", firstName: string, email: string) {
  await page.goto(`/${locale}/editions/${slug}/register?ticket=free`);
  await fillAttendee(page, locale, { firstName, lastName: "Test", email });
  await page.getByRole("button", { name: LABELS[locale].submit }).click();
  await expect(page).toHaveURL(new RegExp(`/${locale}/orders/`));
}

// The clock moves here (e2e/support/clock.ts): this test runs alone and leaves the clock reset.
test("the practical information leaves once at its time, in each attendee's language, from two instances", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  test.setTimeout(150_000);
  const created = await newEdition({ capacity: 10 });
  const startsAt = new Date(Date.now() + 4 * DAY);
  const edition = await db.edition.update({
    where: { id: created.id },
    data: { startsAt, endsAt: new Date(startsAt.getTime() + 8 * 3_600_000) },
  });
  const people = [
    { locale: "fr" as const, firstName: "Camille", email: uniqueEmail("practical-fr") },
    { locale: "en" as const, firstName: "Grace", email: uniqueEmail("practical-en") },
  ];
  for (const person of people) await register(page, edition.slug, person.locale, person.firstName, person.email);
  const subjects = {
    fr: new RegExp(`(?=.*informations pratiques)(?=.*${edition.nameFr})`, "i"),
    en: new RegExp(`(?=.*practical information)(?=.*${edition.nameEn})`, "i"),
  };

  // The organiser sets "2 days before at 10:00" in the Reminders section; the page says when it leaves.
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${edition.slug}/settings`);
  const reminders = page.getByRole("region", { name: "Reminders" });
  await expect(page.getByTestId("practical-info-due")).toHaveText("Practical information email: off.");
  await reminders.getByLabel("Send the practical information (days before the start)").fill("2");
  await reminders.getByLabel("At (time of day)").fill("10:00");
  await reminders.getByLabel("Schedule link").fill("https://example.org/schedule");
  await reminders.getByRole("button", { name: "Save the reminders" }).click();
  await expect(reminders.getByText("Saved.")).toBeVisible();
  const due = practicalInfoDue({ ...edition, practicalInfoDays: 2, practicalInfoTime: "10:00" })!;
  expect(due.getTime()).toBeGreaterThan(Date.now());
  await page.reload();
  await expect(page.getByTestId("practical-info-due")).toContainText("Next practical information email:");
  await expect(page.getByTestId("practical-info-due")).toContainText("10:00");
  expect(await db.edition.findUniqueOrThrow({ where: { id: edition.id } })).toMatchObject({
    practicalInfoDays: 2,
    practicalInfoTime: "10:00",
    scheduleUrl: "https://example.org/schedule",
  });

  // It only sweeps and sends here: no registration reaches it, so no challenge key.
  const second = await startSecondInstance({ MESSAGE_SWEEP_SECONDS: "2", REGISTRATION_CHALLENGE: "off" });
  try {
    // A minute before its time, both instances sweep: nothing leaves.
    let offset = due.getTime() - 60_000 - Date.now();
    advanceClock(offset);
    await sweptPast(db, edition.id, new Date(due.getTime() - 59_000));
    expect(await db.message.count({ where: { editionId: edition.id, kind: "PRACTICAL_INFO" } })).toBe(0);
    for (const person of people) expect(await emailsTo(person.email, subjects[person.locale])).toBe(0);

    // Two minutes later it is due: each attendee gets it once, in the language they registered in.
    advanceClock(120_000);
    offset += 120_000;
    for (const person of people) {
      const mail = await waitForEmailTo(person.email, { subject: subjects[person.locale], timeoutMs: 30_000 });
      expect(mail.text).toContain(person.firstName);
      expect(mail.text).toContain("https://example.org/schedule");
      expect(mail.attachments.some((file) => file.contentType === "application/pdf")).toBe(true);
    }

    // Three sweep periods later (by the app's clock), still one email each and two recipients.
    await sweptPast(db, edition.id, new Date(Date.now() + offset + 6_000));
    const standing = await db.message.findFirstOrThrow({ where: { editionId: edition.id, kind: "PRACTICAL_INFO" } });
    expect(await db.messageRecipient.count({ where: { messageId: standing.id } })).toBe(2);
    await expect
      .poll(() => db.emailOutbox.count({ where: { editionId: edition.id, kind: "practical_info", status: "SENT" } }))
      .toBe(2);
    for (const person of people) expect(await emailsTo(person.email, subjects[person.locale])).toBe(1);
  } finally {
    second.stop();
  }
});
