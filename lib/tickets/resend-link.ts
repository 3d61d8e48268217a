import { randomUUID } from "node:crypto";
import { confirmedSeatWhere } from "@/lib/capacity/seats";
import type { Db } from "@/lib/db/prisma";
import { requestEmailedLink, type LinkRequestOutcome } from "@/lib/email/link-request";
import { enqueueTicketAgain } from "@/lib/orders/confirmation-emails";
import { isSafeText } from "@/lib/forms/fields";
import { runNow, type Defer } from "@/lib/http/defer";

/**
 * "Lost my ticket": emails the confirmation (with its private link) again to an address that holds
 * a ticket for the edition, with the answers and limits of every "email me a link" form.
 */
export async function resendTicketLinks(
  db: Db,
  input: { editionSlug: string; email: unknown; clientKey: string | null },
  now = new Date(),
  defer: Defer = runNow,
): Promise<LinkRequestOutcome> {
  const request = { purpose: "lost-ticket", email: input.email, clientKey: input.clientKey };
  return requestEmailedLink(
    db,
    request,
    async (email) => {
      // A slug Postgres cannot take (NUL, invalid UTF-8) names no edition: the same as an unknown address.
      if (typeof input.editionSlug !== "string" || !isSafeText(input.editionSlug)) return;
      const tickets = await db.ticket.findMany({
        where: { email, ...confirmedSeatWhere, edition: { slug: input.editionSlug } },
        select: { id: true, orderId: true, email: true },
      });
      for (const ticket of tickets) {
        await db.$transaction((tx) => enqueueTicketAgain(tx, ticket, `lost:${randomUUID()}`));
      }
    },
    { now, defer },
  );
}
