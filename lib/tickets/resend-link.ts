import { randomUUID } from "node:crypto";
import { confirmedSeatWhere } from "@/lib/capacity/seats";
import type { Db } from "@/lib/db/prisma";
import { enqueueOrderConfirmation } from "@/lib/email/outbox";
import { emailAddress, isSafeText } from "@/lib/forms/fields";
import { runNow, type Defer } from "@/lib/http/defer";
import { consumeClientRateLimit, consumeRateLimit } from "@/lib/rate-limit/consume";

const HOUR = 3600;

export type ResendOutcome = "sent_if_known" | "invalid_email" | "rate_limited";

/**
 * "Lost my ticket": emails the confirmation (with its private link) again to an address that holds
 * a ticket for the edition. The answer is the same whether or not the address is known, so the
 * form cannot be used to find out who registered; Postgres counters limit how often it can be used.
 * The lookup and the email are `defer`red past the answer, so its timing does not tell either.
 */
export async function resendTicketLinks(
  db: Db,
  input: { editionSlug: string; email: unknown; clientKey: string | null },
  now = new Date(),
  defer: Defer = runNow,
): Promise<ResendOutcome> {
  const email = emailAddress.safeParse(input.email);
  if (!email.success) return "invalid_email";
  // A slug Postgres cannot take (NUL, invalid UTF-8) names no edition: the same answer as an unknown address.
  if (typeof input.editionSlug !== "string" || !isSafeText(input.editionSlug)) return "sent_if_known";
  const withinLimits =
    (await consumeRateLimit(db, `lost-ticket:email:${email.data}`, { limit: 3, windowSeconds: HOUR, now })) &&
    (await consumeClientRateLimit(db, "lost-ticket", input.clientKey, { limit: 20, windowSeconds: HOUR, now }));
  if (!withinLimits) return "rate_limited";
  await defer(async () => {
    const tickets = await db.ticket.findMany({
      where: { email: email.data, ...confirmedSeatWhere, edition: { slug: input.editionSlug } },
      select: { orderId: true },
    });
    for (const ticket of tickets) {
      await db.$transaction((tx) =>
        enqueueOrderConfirmation(tx, ticket.orderId, {
          dedupeKey: `resend:${ticket.orderId}:${randomUUID()}`,
          toAddress: email.data,
        }),
      );
    }
  });
  return "sent_if_known";
}
