import { generateKeyPairSync, randomUUID } from "node:crypto";
import type { ParsedMail } from "mailparser";
import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useEmailWorker } from "@/devtools/testing/email-worker";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { formatDateTime } from "@/lib/i18n/format";
import { composeEmail } from "@/lib/notifications/renderers";
import { registerAttendee } from "./register";
import { sendUnnamedReminders } from "./unnamed-reminders";

const { db, url, newClient } = await useTestDatabase();
const { smtp } = await useEmailWorker(db, url);
const DAY = 24 * 3600_000;

const person = (tag: string) => ({
  firstName: "Ada",
  lastName: tag,
  email: `${tag}.${randomUUID().slice(0, 8)}@example.org`,
  company: "Acme",
});

type Setup = {
  startsAt?: Date;
  days?: number | null;
  editDeadline?: Date | null;
  named?: number;
  unnamed?: number;
  locale?: "fr" | "en";
};

/** A confirmed free group order: `named` tickets with attendees, then `unnamed` ones left for later. */
async function groupOrder({ startsAt, days = 7, editDeadline = null, named = 0, unnamed = 2, locale = "en" }: Setup) {
  const fixture = await createEdition(db, { capacity: 50, ticketTypes: [{ code: "free" }, { code: "student" }] });
  const edition = await db.edition.update({
    where: { id: fixture.id },
    data: {
      unnamedReminderDays: days,
      editDeadline,
      ...(startsAt && { startsAt, endsAt: new Date(startsAt.getTime() + 8 * 3600_000) }),
    },
  });
  const buyer = person("buyer");
  const tickets = [
    ...Array.from({ length: named }, (_, i) => ({ ticketType: "free", attendee: person(`named-${i}`) })),
    ...Array.from({ length: unnamed }, (_, i) => ({ ticketType: i % 2 ? "student" : "free", attendee: null })),
  ];
  const result = await registerAttendee(db, edition.slug, { buyer, locale, tickets }, { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  return { edition, buyer, order: result.order };
}

const reminders = (orderId: string) =>
  db.emailOutbox.findMany({ where: { orderId, kind: "unnamed_reminder" }, orderBy: { createdAt: "asc" } });

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

// The buyer also gets the order's confirmation: the reminder is told apart by its subject.
async function emailTo(address: string, subject: string): Promise<ParsedMail> {
  let found: ParsedMail | undefined;
  const sent = (mail: ParsedMail) => mail.subject === subject && !Array.isArray(mail.to) && mail.to?.text === address;
  await expect.poll(() => (found = smtp.messages.find(sent)), { timeout: 20_000 }).toBeDefined();
  return found!;
}

describe("reminders to buyers of unnamed tickets", () => {
  it("arrives over SMTP in the buyer's language: the tickets to name, the deadline and the order link", async () => {
    const startsAt = new Date(Date.now() + 5 * DAY);
    const editDeadline = new Date(startsAt.getTime() - DAY);
    const fr = await groupOrder({ startsAt, editDeadline, named: 1, locale: "fr" });
    const en = await groupOrder({ startsAt, named: 0, unnamed: 1, locale: "en" });
    await sendUnnamedReminders(db);

    const french = await emailTo(fr.buyer.email, `${fr.edition.nameFr}\u00a0: billets encore à nommer (2)`);
    expect(french.text).toContain("Bonjour Ada,");
    expect(french.text).toContain(`2 billets de votre commande ${fr.order.reference}`);
    expect(french.text).toContain("Billet 2 · free\n\nBillet 3 · student");
    expect(french.text).toContain(`avant le ${formatDateTime(editDeadline, "Europe/Paris", "fr")}.`);
    const link = `http://app.test/fr/orders/${fr.order.accessToken}`;
    expect(french.text).toContain(link);
    expect(french.html).toContain(`href="${link}"`);

    const english = await emailTo(en.buyer.email, `Tickets still to name for ${en.edition.nameEn} (1)`);
    expect(english.text).toContain(`One ticket of your order ${en.order.reference}`);
    expect(english.text).toContain("Ticket 1 · free");
    expect(english.text).toContain(`http://app.test/en/orders/${en.order.accessToken}`);
    expect(english.html).toContain('<html lang="en">');
  });

  it("starts the edition's number of days before it, to the buyer, keyed by order and day", async () => {
    const { edition, buyer, order } = await groupOrder({ days: 7 });
    const start = edition.startsAt.getTime();
    await sendUnnamedReminders(db, new Date(start - 7 * DAY - 60_000));
    expect(await reminders(order.id)).toHaveLength(0);

    const at = new Date(start - 7 * DAY + 60_000);
    await sendUnnamedReminders(db, at);
    const [email, ...others] = await reminders(order.id);
    expect(others).toHaveLength(0);
    expect(email).toMatchObject({
      dedupeKey: `unnamed-reminder:${order.id}:${dayOf(at)}`,
      toAddress: buyer.email,
      locale: "en",
    });
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).unnamedReminderAt).toEqual(at);
  });

  it("keeps 3 quiet days between two reminders, and stops once the edition starts", async () => {
    const { edition, order } = await groupOrder({ days: 10 });
    const start = edition.startsAt.getTime();
    const first = new Date(start - 9 * DAY);
    await sendUnnamedReminders(db, first);
    await sendUnnamedReminders(db, new Date(first.getTime() + 2 * DAY));
    await sendUnnamedReminders(db, new Date(first.getTime() + 3 * DAY - 60_000));
    expect(await reminders(order.id)).toHaveLength(1);

    const second = new Date(first.getTime() + 3 * DAY + 60_000);
    await sendUnnamedReminders(db, second);
    const third = new Date(second.getTime() + 3 * DAY + 60_000);
    await sendUnnamedReminders(db, third);
    await sendUnnamedReminders(db, new Date(start + 60_000));
    expect((await reminders(order.id)).map((email) => email.dedupeKey)).toEqual(
      [first, second, third].map((at) => `unnamed-reminder:${order.id}:${dayOf(at)}`),
    );
  });

  it("reminds each buyer once when two instances sweep at the same moment, on the database's clock", async () => {
    const startsAt = new Date(Date.now() + 2 * DAY);
    const orders = await Promise.all(Array.from({ length: 8 }, () => groupOrder({ startsAt, days: 3 })));
    const other = newClient(5);
    const claims = await Promise.all([sendUnnamedReminders(db), sendUnnamedReminders(other)]);
    expect(claims[0] + claims[1]).toBe(orders.length);
    for (const { order } of orders) expect(await reminders(order.id)).toHaveLength(1);
    expect(await Promise.all([sendUnnamedReminders(db), sendUnnamedReminders(other)])).toEqual([0, 0]);
  });

  it("is not sent if every ticket was named, or the order cancelled, before it left", async () => {
    const { edition, order } = await groupOrder({});
    await sendUnnamedReminders(db, new Date(edition.startsAt.getTime() - DAY));
    const deps = { appUrl: "http://app.test", signingKey: generateKeyPairSync("ed25519").privateKey, db };
    const composed = async () =>
      composeEmail(
        deps,
        await db.emailOutbox.findFirstOrThrow({
          where: { orderId: order.id, kind: "unnamed_reminder" },
          include: {
            order: { include: { edition: true, tickets: { include: { ticketType: true } }, invoices: true } },
          },
        }),
      );
    expect(await composed()).toMatchObject({ send: { subject: `Tickets still to name for ${edition.nameEn} (2)` } });
    const [first] = await db.ticket.findMany({ where: { orderId: order.id }, orderBy: { position: "asc" } });
    await db.ticket.update({ where: { id: first.id }, data: person("colleague") });
    expect(await composed()).toMatchObject({ send: { subject: `Tickets still to name for ${edition.nameEn} (1)` } });
    await db.ticket.updateMany({ where: { orderId: order.id, firstName: null }, data: { status: "CANCELLED" } });
    expect(await composed()).toEqual({ supersededBecause: "no ticket left to name" });
    await db.order.update({ where: { id: order.id }, data: { status: "CANCELLED" } });
    expect(await composed()).toEqual({ supersededBecause: "order no longer confirmed (CANCELLED)" });
  });

  it("leaves alone named or cancelled orders, editions without the setting, past or outside the window", async () => {
    const startsAt = new Date("2028-03-10T08:00:00Z");
    const inWindow = new Date(startsAt.getTime() - 2 * DAY);
    const allNamed = await groupOrder({ startsAt, named: 1, unnamed: 0 });
    const settingOff = await groupOrder({ startsAt, days: null });
    const cancelled = await groupOrder({ startsAt });
    await db.order.update({ where: { id: cancelled.order.id }, data: { status: "CANCELLED" } });
    const deadlinePassed = await groupOrder({ startsAt, editDeadline: new Date(inWindow.getTime() - 60_000) });
    const farAway = await groupOrder({ startsAt: new Date(startsAt.getTime() + 30 * DAY) });
    const started = await groupOrder({ startsAt: new Date(inWindow.getTime() - 3600_000) });
    const reminded = await groupOrder({ startsAt });

    await sendUnnamedReminders(db, inWindow);
    for (const { order } of [allNamed, settingOff, cancelled, deadlinePassed, farAway, started]) {
      expect(await reminders(order.id)).toHaveLength(0);
    }
    expect(await reminders(reminded.order.id)).toHaveLength(1);
  });
});
