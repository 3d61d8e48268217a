import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TEST_EMAIL_LINK_KEY, useEmailWorker } from "@/devtools/testing/email-worker";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { registerAttendee } from "@/lib/orders/register";
import { dispatchMessage } from "./dispatch";
import { emailHash } from "./opt-out";
import { previewMessageEmails } from "./preview";

const { db, url } = await useTestDatabase();
const { smtp } = await useEmailWorker(db, url);
const now = new Date();
// The worker's own settings (useEmailWorker), so the opt-out link is the one it signs.
const deps = { appUrl: "http://app.test", db, emailLinkKey: TEST_EMAIL_LINK_KEY };

async function attendee(slug: string, name: string, locale: "fr" | "en") {
  const email = `${name.toLowerCase()}.${randomUUID().slice(0, 8)}@example.org`;
  const attendee = { firstName: name, lastName: "Martin", email };
  const result = await registerAttendee(db, slug, { ticketType: "free", attendee, locale }, { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  return email;
}

/** Everything a preview could write: the message row, recipients, outbox rows, jobs, audit entries. */
async function written(messageId: string) {
  const [[counts], message] = await Promise.all([
    db.$queryRaw<{ recipients: number; outbox: number; jobs: number; audit: number }[]>`
      SELECT (SELECT count(*)::int FROM "MessageRecipient") AS recipients,
             (SELECT count(*)::int FROM "EmailOutbox") AS outbox,
             (SELECT count(*)::int FROM pgboss.job) AS jobs,
             (SELECT count(*)::int FROM "AuditEntry") AS audit`,
    db.message.findUniqueOrThrow({ where: { id: messageId } }),
  ]);
  return { counts, message };
}

describe("a message's rendered preview", () => {
  it("is the email its first recipient in each language receives, and writes nothing", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const optedOut = await attendee(edition.slug, "Aline", "fr");
    await db.emailOptOut.create({ data: { emailHash: emailHash(optedOut), via: "page" } });
    const camille = await attendee(edition.slug, "Camille", "fr");
    await attendee(edition.slug, "Zoé", "fr");
    const grace = await attendee(edition.slug, "Grace", "en");
    const message = await db.message.create({
      data: {
        editionId: edition.id,
        audience: "ATTENDEES",
        subjectFr: "Bonjour {{ first_name }}",
        bodyFr: "La salle change. [Votre billet]({{ ticket_url }})",
        // English left empty: the English recipient reads the French text, as the send does.
      },
      include: { edition: true },
    });

    const before = await written(message.id);
    const previews = await previewMessageEmails(deps, message, now);
    expect(await written(message.id)).toEqual(before);
    // Aline opted out (a non-essential message leaves her out), so Camille is the first French address.
    expect(previews.map((preview) => [preview.recipient.toAddress, preview.recipient.locale])).toEqual([
      [camille, "fr"],
      [grace, "en"],
    ]);
    expect(previews[1].email?.subject).toBe("Bonjour Grace");

    expect(await dispatchMessage(db, message.id, now)).toMatchObject({ dispatched: true, queued: 3 });
    const rows = await db.messageRecipient.findMany({ where: { messageId: message.id }, include: { outbox: true } });
    for (const preview of previews) {
      const row = rows.find((candidate) => candidate.toAddress === preview.recipient.toAddress)!;
      const mail = await (async () => {
        for (let i = 0; i < 400; i++) {
          const found = smtp.messages.find((candidate) => candidate.messageId === `<${row.outboxId}@guichet>`);
          if (found) return found;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`the email to ${row.toAddress} never arrived`);
      })();
      expect(mail.subject).toBe(preview.email?.subject);
      // The whole document, opt-out link included (its token depends on the address only).
      expect(mail.html).toBe(preview.email?.html);
      expect(preview.email?.html).toContain("/email-preferences/");
    }
  });

  it("shows nothing for a message nobody would receive, nor for a standing message", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const message = await db.message.create({
      data: { editionId: edition.id, audience: "ATTENDEES", subjectEn: "News", bodyEn: "Hello" },
      include: { edition: true },
    });
    expect(await previewMessageEmails(deps, message, now)).toEqual([]);
    await attendee(edition.slug, "Grace", "en");
    const standing = { ...message, kind: "PRACTICAL_INFO" as const, essential: true };
    expect(await previewMessageEmails(deps, standing, now)).toEqual([]);
    expect(await previewMessageEmails(deps, message, now)).toHaveLength(1);
  });
});
