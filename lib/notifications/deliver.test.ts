import { randomUUID } from "node:crypto";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useEmailWorker } from "@/devtools/testing/email-worker";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { verifyTicketCode } from "@/lib/tickets/codes";

const { db, url } = await useTestDatabase();
const { smtp, keys } = await useEmailWorker(db, url);

async function registerFree(locale: "fr" | "en", name: string = randomUUID()) {
  const edition = await createEdition(db, { capacity: 5 });
  const result = await registerAttendee(db, edition.slug, attendeeRequest("free", name, { locale }), {
    holdMinutes: 35,
  });
  if (!result.ok) throw new Error(result.reason);
  return result.order;
}

describe("confirmation email", () => {
  it("is queued with the confirmation and arrives once, in French, with QR and PDF", async () => {
    const before = smtp.messages.length;
    const order = await registerFree("fr", "fr-mail");
    expect(await db.emailOutbox.count({ where: { orderId: order.id } })).toBe(1);
    const [message] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(message.subject).toBe("Votre billet pour Édition " + message.subject!.split("Édition ")[1]);
    expect(message.to && "text" in message.to ? message.to.text : "").toBe("ada.fr-mail@example.org");
    expect(message.text).toContain("Bonjour Ada,");
    expect(message.text).toContain(`/fr/orders/${order.accessToken}`);
    expect(message.html).toContain("cid:qr-");
    const pdf = message.attachments.find((a) => a.contentType === "application/pdf");
    expect(pdf?.content.subarray(0, 5).toString()).toBe("%PDF-");
    const qr = message.attachments.find((a) => a.contentType === "image/png");
    expect(qr?.contentId).toMatch(/^<?qr-/);
    // The QR image decodes to the ticket's signed code.
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: order.id } });
    const verified = verifyTicketCode(decodeQrPng(qr!.content), keys.verifyKeys);
    expect(verified).toEqual({
      ok: true,
      claims: { ticketId: ticket.id, editionId: ticket.editionId, codeVersion: 1 },
    });
    await expect
      .poll(async () => (await db.emailOutbox.findFirstOrThrow({ where: { orderId: order.id } })).status)
      .toBe("SENT");
  });

  it("survives an SMTP outage: retried with backoff, delivered exactly once", async () => {
    const before = smtp.messages.length;
    smtp.failNext(2);
    const order = await registerFree("en", "retry-mail");
    const [message] = (await smtp.waitForMessages(before + 1, 40_000)).slice(before);
    expect(message.subject).toMatch(/^Your ticket for /);
    expect(message.text).toContain("Hello Ada,");
    await expect
      .poll(async () => db.emailOutbox.findFirstOrThrow({ where: { orderId: order.id } }))
      .toMatchObject({ status: "SENT", attempts: 3 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.messages.filter((m) => m.subject === message.subject && m.text?.includes(order.reference)).length).toBe(
      1,
    );
  }, 60_000);
});

function decodeQrPng(png: Buffer): string {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? "";
}
