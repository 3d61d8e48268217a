import type { ParsedMail } from "mailparser";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { saveCertificateSettings } from "@/lib/certificates/settings";
import { saveTemplate } from "@/lib/templates/overrides";
import { createEdition, createOrganiser, registerTicket } from "@/devtools/testing/fixtures";
import { pdfText } from "@/devtools/testing/pdf-text";
import { useDirectDelivery } from "@/devtools/testing/email-worker";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { deliverOutboxEmail } from "./deliver";

// No worker: each test sends the outbox row itself, after whatever happens before a worker would reach it.
const { db } = await useTestDatabase();
const { smtp, deps } = await useDirectDelivery(db);
const DAY = 24 * 3600 * 1000;

/** A checked-in attendee of an edition that ended yesterday, and the certificate email the standing message wrote. */
async function certificateEmail() {
  const edition = await createEdition(db, { capacity: 5 });
  await db.edition.update({
    where: { id: edition.id },
    data: { startsAt: new Date(Date.now() - 2 * DAY), endsAt: new Date(Date.now() - DAY) },
  });
  const form = { enabled: "on", minutes: "90", signatoryName: "Camille Martin" };
  const signature = PNG.sync.write(new PNG({ width: 120, height: 40 }));
  await saveCertificateSettings(db, await createOrganiser(db), edition.id, { ...form, signature });
  const ticket = await registerTicket(db, edition.slug, "free", `cert-${Date.now()}`);
  await db.ticket.update({
    where: { id: ticket.id },
    data: { checkedInAt: new Date(Date.now() - 2 * DAY), firstName: "*Bob*", locale: "fr" },
  });
  const message = await db.message.create({
    data: { editionId: edition.id, kind: "CERTIFICATE", audience: "ATTENDEES", essential: true, status: "QUEUED" },
  });
  const recipient = await db.messageRecipient.create({
    data: {
      messageId: message.id,
      emailKey: ticket.email!.toLowerCase(),
      toAddress: ticket.email!,
      firstName: "*Bob*",
      locale: "fr",
      ticketId: ticket.id,
      orderId: ticket.orderId,
    },
  });
  const outbox = await db.emailOutbox.create({
    data: {
      dedupeKey: `message:${message.id}:${recipient.id}`,
      kind: "certificate_ready",
      orderId: ticket.orderId,
      editionId: edition.id,
      toAddress: ticket.email!,
      locale: "fr",
      payload: { messageId: message.id, recipientId: recipient.id },
    },
  });
  const order = await db.order.findUniqueOrThrow({ where: { id: ticket.orderId } });
  return { edition, ticket, message, outbox, order };
}

const to = (mail: ParsedMail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : "");

describe("the certificate_ready email", () => {
  it("goes to who came, in their language, with their certificate attached and its link", async () => {
    const { ticket, outbox, order, edition } = await certificateEmail();
    const before = smtp.messages.length;
    expect(await deliverOutboxEmail(deps, outbox.id)).toBe("sent");
    const [mail] = await smtp.waitForMessages(before + 1).then((all) => all.slice(before));
    expect(to(mail)).toBe(ticket.email);
    expect(mail.subject).toBe(`Votre attestation de présence\u00a0: ${edition.nameFr}`);
    expect(mail.text).toContain("Bonjour *Bob*,");
    expect(mail.text).toContain(`http://app.test/fr/tickets/${ticket.accessToken}/certificate.pdf`);
    const [attachment] = mail.attachments;
    expect(attachment).toMatchObject({
      contentType: "application/pdf",
      filename: `attestation-${order.reference}-1.pdf`,
    });
    expect(pdfText(attachment.content)).toContain("Durée\u00a0: 1\u00a0h\u00a030");
  });

  it("takes its subject and message from the edition's template, its link and PDF from the app", async () => {
    const { ticket, outbox, edition } = await certificateEmail();
    await saveTemplate(db, await createOrganiser(db), edition.id, "certificate_ready", "fr", {
      subject: "Merci {{ first_name }} !",
      body: "Votre attestation pour {{ edition_name }} : [la voici]({{ certificate_url }}).",
    });
    const before = smtp.messages.length;
    expect(await deliverOutboxEmail(deps, outbox.id)).toBe("sent");
    const [mail] = await smtp.waitForMessages(before + 1).then((all) => all.slice(before));
    expect(mail.subject).toBe("Merci *Bob* !");
    const link = `http://app.test/fr/tickets/${ticket.accessToken}/certificate.pdf`;
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.text?.replace(/\s+/g, " ")).toContain(`Votre attestation pour ${edition.nameFr} : la voici`);
    expect(mail.text).toContain("Télécharger mon attestation");
    expect(mail.attachments.map((attachment) => attachment.contentType)).toEqual(["application/pdf"]);
  });

  it("is superseded when the check-in was undone, the message cancelled or the ticket given away", async () => {
    const undone = await certificateEmail();
    await db.ticket.update({ where: { id: undone.ticket.id }, data: { checkedInAt: null } });
    const cancelled = await certificateEmail();
    await db.message.update({ where: { id: cancelled.message.id }, data: { status: "CANCELLED" } });
    const given = await certificateEmail();
    await db.ticket.update({ where: { id: given.ticket.id }, data: { email: "someone.else@example.org" } });
    const before = smtp.messages.length;
    for (const { outbox } of [undone, cancelled, given]) {
      expect(await deliverOutboxEmail(deps, outbox.id)).toBe("superseded");
    }
    const reasons = await db.emailOutbox.findMany({
      where: { id: { in: [undone.outbox.id, cancelled.outbox.id, given.outbox.id] } },
      select: { id: true, lastError: true },
    });
    expect(new Map(reasons.map((row) => [row.id, row.lastError]))).toEqual(
      new Map([
        [undone.outbox.id, "not eligible"],
        [cancelled.outbox.id, "message cancelled"],
        [given.outbox.id, "ticket holder changed"],
      ]),
    );
    expect(smtp.messages.length).toBe(before);
  });
});
