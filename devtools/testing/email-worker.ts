import { afterAll } from "vitest";
import type { Db } from "@/lib/db/prisma";
import type { DeliveryDeps } from "@/lib/notifications/deliver";
import { createSmtpTransport, startEmailWorker } from "@/lib/notifications/worker";
import { generateTicketSigningKey, ticketKeysFrom } from "@/lib/tickets/codes";
import { startSmtpCapture } from "./smtp-capture";

/** The key the test worker signs opt-out links with. */
export const TEST_EMAIL_LINK_KEY = "test-email-link-key-0123456789abcdef";

/**
 * The real email worker on the calling test file's database, sending to a real SMTP capture, stopped after its
 * tests; returns the capture and the ticket keys the emails' codes are signed with.
 */
export async function useEmailWorker(db: Db, url: string, { maxAttempts }: { maxAttempts?: number } = {}) {
  const smtp = await startSmtpCapture();
  const keys = ticketKeysFrom(generateTicketSigningKey());
  const stopWorker = await startEmailWorker(
    url,
    {
      db,
      transport: createSmtpTransport(smtp.url),
      from: "Guichet <tickets@example.org>",
      appUrl: "http://app.test",
      signingKey: keys.privateKey,
      emailLinkKey: TEST_EMAIL_LINK_KEY,
      ...(maxAttempts !== undefined && { maxAttempts }),
    },
    { pollingIntervalSeconds: 0.5 },
  );
  afterAll(async () => {
    await stopWorker();
    await smtp.stop();
  });
  return { smtp, keys };
}

/**
 * No worker: a real SMTP capture and what a delivery needs, for tests that send an outbox row themselves
 * (deliverOutboxEmail), after whatever happens before a worker would reach it; the capture stops after the tests.
 */
export async function useDirectDelivery(db: Db, onMessage?: Parameters<typeof startSmtpCapture>[0]) {
  const smtp = await startSmtpCapture(onMessage);
  afterAll(() => smtp.stop());
  const keys = ticketKeysFrom(generateTicketSigningKey());
  const deps: DeliveryDeps = {
    db,
    transport: createSmtpTransport(smtp.url),
    from: "Guichet <tickets@example.org>",
    appUrl: "http://app.test",
    signingKey: keys.privateKey,
  };
  return { smtp, keys, deps };
}
