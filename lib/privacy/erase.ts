import type Stripe from "stripe";
import { cancelAttendees } from "@/lib/attendees/bulk";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { cancelCheckout } from "@/lib/payments/checkout";
import { removeEntry } from "@/lib/waitlist/entries";
import { anonymise, type AnonymisedCounts } from "./anonymise";
import { completeRequest } from "./requests";

/** What an erasure did: tickets cancelled, unpaid orders released and entries removed first, then rows anonymised. */
export type Erasure = {
  requestId: string;
  cancelled: { done: number; skipped: Record<string, number> };
  released: number;
  removedFromWaitingList: number;
  anonymised: AnonymisedCounts;
};

/**
 * Erases an address's data (docs/operations.md, "Erasure"). First, each through the action that already does it in
 * its own transaction: its live tickets (editions not ended) and the unnamed ones of orders it bought are cancelled
 * without refund, as the bulk action does (seats back, the waiting list served by the triggers); its unpaid orders
 * are released as a checkout left; its live waiting-list entries removed. Then everything it holds is anonymised in
 * one transaction, its open erasure request closed (or one recorded as the organiser's) and the counts audited.
 * Running it again finds nothing more to do.
 */
export async function eraseAddress(
  db: Db,
  stripe: Stripe,
  emailKey: string,
  actor: AuditActor,
  now: Date,
): Promise<Erasure> {
  const live = await db.$queryRaw<{ id: string; editionId: string }[]>`
    SELECT t.id::text, t."editionId"::text AS "editionId"
      FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" JOIN "Edition" e ON e.id = t."editionId"
     WHERE t.status = 'ACTIVE' AND o.status = 'CONFIRMED' AND e."endsAt" > ${now}
       AND (lower(btrim(t.email)) = ${emailKey} OR (t.email IS NULL AND lower(btrim(o."buyerEmail")) = ${emailKey}))
     ORDER BY t."editionId", t."orderId", t.position`;
  const cancelled: Erasure["cancelled"] = { done: 0, skipped: {} };
  for (const editionId of new Set(live.map((ticket) => ticket.editionId))) {
    const ticketIds = live.filter((ticket) => ticket.editionId === editionId).map((ticket) => ticket.id);
    const summary = await cancelAttendees(db, stripe, actor, { editionId, ticketIds }, { refund: false, now });
    cancelled.done += summary.done;
    for (const [reason, count] of Object.entries(summary.skipped)) {
      cancelled.skipped[reason] = (cancelled.skipped[reason] ?? 0) + count;
    }
  }

  const unpaid = await db.$queryRaw<{ accessToken: string }[]>`
    SELECT "accessToken" FROM "Order" WHERE status = 'PENDING' AND lower(btrim("buyerEmail")) = ${emailKey}`;
  for (const order of unpaid) await cancelCheckout(db, stripe, order.accessToken, now);

  const entries = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM "WaitingListEntry" WHERE "emailKey" = ${emailKey} AND status IN ('WAITING', 'OFFERED')`;
  for (const entry of entries) await removeEntry(db, actor, entry.id, "erased");

  return db.$transaction(async (tx): Promise<Erasure> => {
    const anonymised = await anonymise(tx, { emailKey }, now);
    const requestId = await completeRequest(tx, "ERASURE", emailKey, actor, now);
    await recordAudit(tx, actor, {
      editionId: null,
      action: "privacy.erased",
      subjectType: "privacy_request",
      subjectId: requestId,
      after: { ...anonymised, cancelled: cancelled.done, released: unpaid.length, removed: entries.length },
    });
    return { requestId, cancelled, released: unpaid.length, removedFromWaitingList: entries.length, anonymised };
  });
}
