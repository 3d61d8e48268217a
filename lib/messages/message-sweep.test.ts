import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useEmailWorker } from "@/devtools/testing/email-worker";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { registerAttendee } from "@/lib/orders/register";
import { saveTemplate } from "@/lib/templates/overrides";
import { chooseRecipients } from "./dispatch";
import { runMessageSweep } from "./message-sweep";

const { db, url, newClient } = await useTestDatabase();
const { smtp } = await useEmailWorker(db, url);

async function register(slug: string, n: number | string) {
  const attendee = { firstName: `P${n}`, lastName: "Test", email: `p${n}.${randomUUID().slice(0, 8)}@example.org` };
  const result = await registerAttendee(db, slug, { ticketType: "free", attendee, locale: "fr" }, { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  return attendee;
}

async function editionWith(attendees: number) {
  const edition = await createEdition(db, { capacity: attendees + 5 });
  for (let n = 0; n < attendees; n++) {
    const attendee = { firstName: `P${n}`, lastName: "Test", email: `p${n}.${randomUUID().slice(0, 8)}@example.org` };
    const result = await registerAttendee(
      db,
      edition.slug,
      { ticketType: "free", attendee, locale: "en" },
      {
        holdMinutes: 35,
      },
    );
    if (!result.ok) throw new Error(result.reason);
  }
  return edition;
}

const message = (editionId: string, data: Record<string, unknown>) =>
  db.message.create({ data: { editionId, audience: "ATTENDEES", subjectEn: "News", bodyEn: "Hello", ...data } });

async function emailsOf(messageId: string) {
  const outbox = await db.emailOutbox.findMany({ where: { payload: { path: ["messageId"], equals: messageId } } });
  const [{ jobs }] = await db.$queryRaw<{ jobs: number }[]>`
    SELECT count(*)::int AS jobs FROM pgboss.job
     WHERE name = 'email.bulk' AND singleton_key = ANY(${outbox.map((row) => row.id)}::text[])`;
  return { outbox: outbox.length, addresses: new Set(outbox.map((row) => row.toAddress)).size, jobs };
}

describe("the message sweep", () => {
  it("sends a scheduled message once at its time, with two instances sweeping at the same moment", async () => {
    const edition = await editionWith(8);
    const at = new Date("2027-03-01T09:00:00Z");
    const scheduled = await message(edition.id, { status: "SCHEDULED", sendAt: at });
    const other = newClient(5);

    expect(await runMessageSweep(db, new Date(at.getTime() - 1000))).toEqual({ dispatched: 0, queued: 0 });
    expect(await db.message.findUniqueOrThrow({ where: { id: scheduled.id } })).toMatchObject({ status: "SCHEDULED" });

    const after = new Date(at.getTime() + 1000);
    const sweeps = await Promise.all([runMessageSweep(db, after), runMessageSweep(other, after)]);
    expect(sweeps[0].dispatched + sweeps[1].dispatched).toBe(1);
    expect(sweeps[0].queued + sweeps[1].queued).toBe(8);
    expect(await emailsOf(scheduled.id)).toEqual({ outbox: 8, addresses: 8, jobs: 8 });
    expect(await db.message.findUniqueOrThrow({ where: { id: scheduled.id } })).toMatchObject({
      status: "QUEUED",
      dispatchedAt: after,
      queuedAt: after,
    });
    // Later sweeps find nothing more to do.
    expect(await Promise.all([runMessageSweep(db, after), runMessageSweep(other, after)])).toEqual([
      { dispatched: 0, queued: 0 },
      { dispatched: 0, queued: 0 },
    ]);
    expect(await emailsOf(scheduled.id)).toEqual({ outbox: 8, addresses: 8, jobs: 8 });
  });

  it("finishes a dispatch an instance left unfinished, and leaves drafts and cancelled messages alone", async () => {
    const edition = await editionWith(3);
    const now = new Date();
    const stopped = await message(edition.id, {});
    await chooseRecipients(db, stopped.id, now);
    const draft = await message(edition.id, {});
    const cancelled = await message(edition.id, { status: "CANCELLED", cancelledAt: now, sendAt: now });

    expect(await runMessageSweep(db, now)).toEqual({ dispatched: 0, queued: 3 });
    expect(await emailsOf(stopped.id)).toEqual({ outbox: 3, addresses: 3, jobs: 3 });
    expect(await db.message.findUniqueOrThrow({ where: { id: stopped.id } })).toMatchObject({ status: "QUEUED" });
    for (const untouched of [draft, cancelled]) expect((await emailsOf(untouched.id)).outbox).toBe(0);
  });
});

describe("the practical information", () => {
  const practicalOutbox = (editionId: string) =>
    db.emailOutbox.findMany({ where: { editionId, kind: "practical_info" }, orderBy: { createdAt: "asc" } });

  it("goes once to each confirmed attendee at its time, to late registrants too, never after the start", async () => {
    const edition = await editionWith(2);
    await db.edition.update({ where: { id: edition.id }, data: { practicalInfoDays: 2, practicalInfoTime: "10:00" } });
    // 20 May 2027 09:00 in Paris: due on 18 May at 10:00 Paris time.
    const due = new Date("2027-05-18T08:00:00Z");
    const other = newClient(5);

    await runMessageSweep(db, new Date(due.getTime() - 1000));
    expect(await practicalOutbox(edition.id)).toEqual([]);
    const after = new Date(due.getTime() + 1000);
    await Promise.all([runMessageSweep(db, after), runMessageSweep(other, after)]);
    expect(await practicalOutbox(edition.id)).toHaveLength(2);
    const standing = await db.message.findFirstOrThrow({ where: { editionId: edition.id, kind: "PRACTICAL_INFO" } });
    expect(standing).toMatchObject({ status: "QUEUED", essential: true, audience: "ATTENDEES" });

    const late = await register(edition.slug, "late");
    for (let i = 0; i < 3; i++) await Promise.all([runMessageSweep(db, after), runMessageSweep(other, after)]);
    const emails = await practicalOutbox(edition.id);
    expect(emails).toHaveLength(3);
    expect(emails[2].toAddress).toBe(late.email);
    expect(await db.message.count({ where: { editionId: edition.id } })).toBe(1);

    await register(edition.slug, "too-late");
    await runMessageSweep(db, new Date(edition.startsAt.getTime() + 1000));
    expect(await practicalOutbox(edition.id)).toHaveLength(3);

    // Sent over SMTP in the attendee's language, with the ticket's QR code and the PDF.
    const sent = await smtp.waitForMessages(1);
    const mail = await (async () => {
      for (let i = 0; i < 200; i++) {
        const found = sent.find((candidate) => candidate.messageId === `<${emails[2].id}@guichet>`);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error("the late registrant's practical information never arrived");
    })();
    expect(mail.subject).toBe(`${edition.nameFr}\u00a0: informations pratiques`);
    expect(mail.text).toContain("Bonjour Plate");
    expect(mail.attachments.map((attachment) => attachment.contentType).sort()).toEqual([
      "application/pdf",
      "image/png",
    ]);
  });

  it("says what the organisers wrote in French, the default in English, around the app's fixed block", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    await db.edition.update({ where: { id: edition.id }, data: { practicalInfoDays: 2, practicalInfoTime: "10:00" } });
    const french = await register(edition.slug, "fr");
    const attendee = { firstName: "Grace", lastName: "Hopper", email: `grace.${randomUUID().slice(0, 8)}@example.org` };
    const english = await registerAttendee(
      db,
      edition.slug,
      { ticketType: "free", attendee, locale: "en" },
      { holdMinutes: 35 },
    );
    if (!english.ok) throw new Error(english.reason);
    const saved = await saveTemplate(db, await createOrganiser(db), edition.id, "practical_info", "fr", {
      subject: "J-2 avant {{ edition_name }}",
      body: "Bonjour {{ full_name }},\n\nLe wifi : **guichet-2027**. Apportez votre billet : {{ ticket_url }}",
    });
    expect(saved).toEqual({ ok: true, changed: true });

    await runMessageSweep(db, new Date("2027-05-18T08:00:01Z"));
    const emails = await practicalOutbox(edition.id);
    expect(emails).toHaveLength(2);
    const ids = new Map(emails.map((row) => [`<${row.id}@guichet>`, row.toAddress]));
    const mails = await (async () => {
      for (let i = 0; i < 200; i++) {
        const found = smtp.messages.filter((mail) => ids.has(mail.messageId ?? ""));
        if (found.length === 2) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error("the practical information never arrived");
    })();
    const to = (address: string) => mails.find((mail) => ids.get(mail.messageId ?? "") === address)!;
    const fr = to(french.email);
    expect(fr.subject).toBe(`J-2 avant ${edition.nameFr}`);
    expect(fr.html).toContain("<strong");
    const frText = fr.text?.replace(/\s+/g, " ");
    expect(frText).toContain("Bonjour Pfr Test, Le wifi : guichet-2027.");
    // The fixed block stays: when and where, the ticket as QR and PDF.
    expect(frText).toContain("Quand");
    expect(fr.attachments.map((attachment) => attachment.contentType).sort()).toEqual(["application/pdf", "image/png"]);
    const en = to(attendee.email);
    expect(en.subject).toBe(`${edition.nameEn}: practical information`);
    expect(en.text?.replace(/\s+/g, " ")).toContain(`Hello Grace, ${edition.nameEn} is coming`);
    expect(en.text).not.toContain("wifi");
  });

  it("is not sent for an edition with the setting off, or a draft", async () => {
    const off = await editionWith(1);
    const draft = await editionWith(1);
    await db.edition.update({ where: { id: draft.id }, data: { practicalInfoDays: 2, status: "DRAFT" } });
    await runMessageSweep(db, new Date("2027-05-19T08:00:00Z"));
    expect(await practicalOutbox(off.id)).toEqual([]);
    expect(await practicalOutbox(draft.id)).toEqual([]);
  });
});
