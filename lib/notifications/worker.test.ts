import { afterAll, describe, expect, it } from "vitest";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { startSmtpCapture } from "@/devtools/testing/smtp-capture";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { registerAttendee } from "@/lib/orders/register";
import { generateTicketSigningKey, ticketKeysFrom } from "@/lib/tickets/codes";
import { createSmtpTransport, startEmailWorker } from "./worker";

const { db, url } = await useTestDatabase();

describe("the email worker", () => {
  it("sends queued emails one after another, without waiting a polling interval between them", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    for (let i = 0; i < 5; i++) {
      const placed = await registerAttendee(db, edition.slug, attendeeRequest("free", `queued-${i}`), {
        holdMinutes: 35,
      });
      expect(placed.ok).toBe(true);
    }
    const smtp = await startSmtpCapture();
    // An interval far beyond the test's timeout: only the first fetch is free, the others must not wait for it.
    const stop = await startEmailWorker(
      url,
      {
        db,
        transport: createSmtpTransport(smtp.url),
        from: "Guichet <tickets@example.org>",
        appUrl: "http://app.test",
        signingKey: ticketKeysFrom(generateTicketSigningKey()).privateKey,
      },
      { pollingIntervalSeconds: 120 },
    );
    afterAll(async () => {
      await stop();
      await smtp.stop();
    });
    const messages = await smtp.waitForMessages(5, 20_000);
    const recipients = messages.map((message) => (message.to && "text" in message.to ? message.to.text : ""));
    expect(recipients.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `ada.queued-${i}@example.org`));
    expect(await db.emailOutbox.count({ where: { order: { editionId: edition.id }, status: "SENT" } })).toBe(5);
  });
});
