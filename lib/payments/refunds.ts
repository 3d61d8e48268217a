import type Stripe from "stripe";
import type { Db } from "@/lib/db/prisma";
import { enqueueRefundEmail, enqueueTicketStatusEmail } from "@/lib/email/outbox";
import { Prisma, type RefundStatus } from "@/lib/generated/prisma/client";
import { cancelOrder, cancelTicket, lockOrder, type LockedOrder } from "@/lib/orders/transitions";
import { creditRefund } from "./invoicing";
import { isStripeError } from "./stripe-errors";
import type { RefundRead } from "./stripe-reads";
import { log } from "@/lib/log/logger";

/**
 * Decides the refund of what is left of an order inside the caller's transaction: the order becomes
 * REFUNDED, its live tickets free their seats at once, and a PENDING order-level refund row is
 * written for the payment less the refunds of tickets cancelled before (none for a late payment).
 * Money moves afterwards, in settlePendingRefunds (and, should Stripe fail, in the refund sweep),
 * so a Stripe outage never leaves a decision half made.
 */
export async function decideFullRefund(
  tx: Prisma.TransactionClient,
  order: LockedOrder,
  { reason, now, paymentIntentId }: { reason: string; now: Date; paymentIntentId?: string | null },
): Promise<void> {
  await cancelOrder(tx, order, "REFUNDED", { reason, now, data: paymentIntentId ? { paymentIntentId } : undefined });
  const rest = order.amountCents - (await refundedCents(tx, order.id));
  if (rest <= 0) return;
  const method = refundMethodOf({ ...order, paymentIntentId: paymentIntentId ?? order.paymentIntentId }) ?? "CARD";
  await tx.refund.create({
    data: { orderId: order.id, amountCents: rest, currency: order.currency, reason, createdAt: now, method },
  });
  await enqueueRefundEmail(tx, { ...order, amountCents: rest }, reason, method);
  await creditRefund(tx, order.id, "whole", now);
}

/** What the order's refunds add up to, whatever their state: each was decided, and Stripe is or will be told. */
export async function refundedCents(tx: Prisma.TransactionClient, orderId: string): Promise<number> {
  const { _sum } = await tx.refund.aggregate({ where: { orderId }, _sum: { amountCents: true } });
  return _sum.amountCents ?? 0;
}

/**
 * How a paid order's money goes back: through Stripe to the card that paid it, or, for an order paid by bank
 * transfer, by the organiser's own transfer (see markTransferRefundSent). Null: nothing was paid.
 */
export function refundMethodOf(
  order: Pick<LockedOrder, "paymentIntentId" | "paymentMethod">,
): "CARD" | "TRANSFER" | null {
  if (order.paymentIntentId) return "CARD";
  return order.paymentMethod === "TRANSFER" ? "TRANSFER" : null;
}

export type RefundOutcome = "refunded" | "already_refunded" | "not_refundable" | "unknown_order";

/**
 * Refunds a paid order in full and releases its seats. Calling it again, or concurrently, refunds
 * nothing more: the order row lock and the one refund row per order see to it. `accessToken`, for
 * the attendee's own link, is checked under the order lock: a link replaced a moment ago by a
 * transfer no longer refunds anything.
 */
export async function refundOrder(
  db: Db,
  stripe: Stripe,
  orderId: string,
  {
    reason,
    now = new Date(),
    accessToken,
    alsoInTransaction,
  }: {
    reason: string;
    now?: Date;
    accessToken?: string;
    alsoInTransaction?: (tx: Prisma.TransactionClient) => Promise<void>;
  },
): Promise<RefundOutcome> {
  const outcome = await db.$transaction(async (tx): Promise<RefundOutcome> => {
    const order = await lockOrder(tx, orderId, accessToken);
    if (!order) return "unknown_order";
    if (order.status === "REFUNDED") return "already_refunded";
    if (order.status !== "CONFIRMED" || !refundMethodOf(order) || order.amountCents === 0) return "not_refundable";
    await decideFullRefund(tx, order, { reason, now });
    await alsoInTransaction?.(tx);
    return "refunded";
  });
  if (outcome === "refunded" || outcome === "already_refunded") await settlePendingRefunds(db, stripe, orderId);
  return outcome;
}

export type TicketCancelOutcome =
  | "refunded"
  | "cancelled"
  | "already_refunded"
  | "already_cancelled"
  | "not_allowed"
  | "unknown_order"
  | "unknown_ticket";

/**
 * Cancels one ticket of a confirmed order (a member of a group who no longer comes). A paid ticket,
 * with `refund`, gets a PENDING refund of its own price, sent like any other (one idempotency key
 * per refund row and attempt); a free one, or one whose money the organisers keep, is only
 * cancelled. Decided under the order's row lock: a double click or a concurrent request waits, then
 * finds the ticket refunded already, and the unique refund per ticket stands behind that.
 * `allowed` is checked under the lock too, with the ticket as it is then (the caller's rights).
 * `ticketAccessToken`, for an attendee's own link, must still open the ticket under the lock: a
 * rename that replaced the link a moment ago leaves the new attendee's ticket alone.
 */
export async function cancelOneTicket(
  db: Db,
  stripe: Stripe,
  { orderId, ticketId }: { orderId: string; ticketId: string },
  {
    refund,
    reason,
    now = new Date(),
    accessToken,
    ticketAccessToken,
    allowed = () => true,
    alsoInTransaction,
  }: {
    refund: boolean;
    reason: string;
    now?: Date;
    accessToken?: string;
    ticketAccessToken?: string;
    allowed?: (order: LockedOrder, ticket: { priceCents: number }) => boolean;
    alsoInTransaction?: (tx: Prisma.TransactionClient, refundedCents: number) => Promise<void>;
  },
): Promise<TicketCancelOutcome> {
  const outcome = await db.$transaction(async (tx): Promise<TicketCancelOutcome> => {
    const order = await lockOrder(tx, orderId, accessToken);
    if (!order) return "unknown_order";
    const ticket = await tx.ticket.findFirst({
      where: { id: ticketId, orderId, ...(ticketAccessToken !== undefined && { accessToken: ticketAccessToken }) },
      select: { id: true, status: true, priceCents: true, position: true, firstName: true, lastName: true },
    });
    if (!ticket) return "unknown_ticket";
    if (ticket.status === "REFUNDED") return "already_refunded";
    if (ticket.status === "CANCELLED") return "already_cancelled";
    if (order.status !== "CONFIRMED" || !allowed(order, ticket)) return "not_allowed";
    const paid = refund && ticket.priceCents > 0;
    const method = refundMethodOf(order);
    if (paid && !method) return "not_allowed";
    if (paid) {
      await tx.refund.create({
        data: {
          orderId,
          ticketId,
          amountCents: ticket.priceCents,
          currency: order.currency,
          reason,
          createdAt: now,
          method: method!,
        },
      });
      await creditRefund(tx, orderId, { ticketId }, now);
    }
    await cancelTicket(tx, order, ticketId, { toStatus: paid ? "REFUNDED" : "CANCELLED", reason, now });
    // The notice says the other tickets stay valid only if some do.
    const lastTicket = (await tx.ticket.count({ where: { orderId, status: "ACTIVE" } })) === 0;
    const change = {
      ...(paid
        ? {
            kind: "order_refunded" as const,
            reason,
            amountCents: ticket.priceCents,
            currency: order.currency,
            ...(method === "TRANSFER" && { byTransfer: true }),
          }
        : { kind: "order_cancelled" as const, reason }),
      ...(lastTicket && { lastTicket }),
    };
    await enqueueTicketStatusEmail(tx, order, ticket, change);
    await alsoInTransaction?.(tx, paid ? ticket.priceCents : 0);
    return paid ? "refunded" : "cancelled";
  });
  if (outcome === "refunded" || outcome === "already_refunded") await settlePendingRefunds(db, stripe, orderId);
  return outcome;
}

/** Stripe's refund statuses, as we store them. */
export function refundStatusOf(status: string | null | undefined): RefundStatus {
  switch (status) {
    case "succeeded":
      return "SUCCEEDED";
    case "failed":
      return "FAILED";
    case "requires_action":
      return "REQUIRES_ACTION";
    case "canceled":
      return "CANCELED";
    default:
      return "PENDING";
  }
}

/** Refunds are sent from two tables: an order's own refund, and a payment we could not keep. */
export type RefundSource = "refund" | "orphan";

const TABLE = { refund: Prisma.raw(`"Refund"`), orphan: Prisma.raw(`"OrphanPayment"`) } as const;

/** Which ticket a refund is for, told to Stripe in its metadata; an orphan payment has none. */
const TICKET = { refund: Prisma.sql`r."ticketId"::text`, orphan: Prisma.sql`NULL::text` } as const;

/** The money to send back: the order's payment, or the orphan payment itself. */
const PAYMENT_INTENT = {
  refund: Prisma.sql`(SELECT "paymentIntentId" FROM "Order" o WHERE o.id = r."orderId")`,
  orphan: Prisma.sql`r."paymentIntentId"`,
} as const;

/** An order's refund by transfer is the organiser's to send: never Stripe's. */
const BY_STRIPE = { refund: Prisma.sql`AND r.method = 'CARD'`, orphan: Prisma.empty } as const;

/** The database's clock, unless a test pins it. */
const clockOf = (now?: Date) => Prisma.sql`coalesce(${now ?? null}::timestamptz, clock_timestamp())`;

/** After this many sends, each further failure is logged as an alert. */
const ALERT_AFTER_ATTEMPTS = 5;

export type SendOutcome = "sent" | "failed" | "not_due";

type ClaimedSend = {
  attempts: number;
  amountCents: number;
  paymentIntentId: string | null;
  orderId: string | null;
  ticketId: string | null;
  reason: string;
};

/**
 * Sends one decided refund to Stripe, once at a time across instances. The send is claimed with a
 * conditional update (attempt counter + next try time), so the inline send, a webhook redelivery
 * and every instance's sweep never send the same attempt twice; nor start another while one is on
 * its way (a double click's second request, or a concurrent one, finds nothing due). Each attempt has its own
 * idempotency key, since Stripe replays a failed (5xx) answer to the same key for 24 h; a later
 * attempt first looks for a refund an earlier one made (a timeout after Stripe acted), by our id
 * in its metadata, so the money never goes back twice.
 */
export async function sendRefund(
  db: Db,
  stripe: Stripe,
  source: RefundSource,
  id: string,
  { due, now }: { due: "now" | "when_scheduled"; now?: Date },
): Promise<SendOutcome> {
  // An attempt on its way has its next try time ahead and no error yet (the claim clears it): only a send whose
  // last attempt failed may go again before its backoff ("now": a redelivered event, a person's retry).
  const scheduled = Prisma.sql`r."nextAttemptAt" IS NULL OR r."nextAttemptAt" <= ${clockOf(now)}`;
  const whenScheduled =
    due === "when_scheduled"
      ? Prisma.sql`AND (${scheduled})`
      : Prisma.sql`AND (${scheduled} OR r."lastError" IS NOT NULL)`;
  const [send] = await db.$queryRaw<ClaimedSend[]>`
    UPDATE ${TABLE[source]} r
    SET attempts = r.attempts + 1, "lastError" = NULL,
        -- Backoff: 30 s, 1 min, 2 min… up to 6 h between sends.
        "nextAttemptAt" = ${clockOf(now)} + make_interval(secs => LEAST(30 * power(2, r.attempts), ${6 * 3600}))
    WHERE r.id = ${id}::uuid AND r.status = 'PENDING' AND r."stripeRefundId" IS NULL ${whenScheduled}
      ${BY_STRIPE[source]}
    RETURNING r.attempts, r."amountCents", r.reason, r."orderId"::text AS "orderId", ${TICKET[source]} AS "ticketId",
              ${PAYMENT_INTENT[source]} AS "paymentIntentId"`;
  if (!send) return "not_due";
  try {
    if (!send.paymentIntentId) throw new Error("no payment intent to refund");
    const stripeRefund =
      (send.attempts > 1 ? await earlierRefund(stripe, send.paymentIntentId, id) : undefined) ??
      (await stripe.refunds.create(
        {
          payment_intent: send.paymentIntentId,
          amount: send.amountCents,
          metadata: {
            refundId: id,
            source,
            reason: send.reason,
            ...(send.orderId && { orderId: send.orderId }),
            ...(send.ticketId && { ticketId: send.ticketId }),
          },
        },
        { idempotencyKey: `refund-${id}-${send.attempts}` },
      ));
    await recordStripeRefund(db, source, id, stripeRefund);
    return "sent";
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    // A request Stripe refuses as such (already refunded, unknown intent) will not pass by
    // retrying: it waits for a person, who sees it on the dashboard.
    const refused = isStripeError(error, "StripeInvalidRequestError");
    const status = refused ? Prisma.sql`'FAILED', "nextAttemptAt" = NULL` : Prisma.sql`'PENDING'`;
    await db.$executeRaw`
      UPDATE ${TABLE[source]} SET "lastError" = ${message}, status = ${status}
      WHERE id = ${id}::uuid AND "stripeRefundId" IS NULL`;
    const details = { source, id, attempt: send.attempts, reason: message };
    if (send.attempts >= ALERT_AFTER_ATTEMPTS || refused)
      log.error({ alert: true, ...details }, "refund refused by Stripe");
    else log.warn(details, "refund not accepted by Stripe, to retry");
    return "failed";
  }
}

/** A refund an earlier attempt made for this row, whose answer we never recorded. */
async function earlierRefund(stripe: Stripe, paymentIntentId: string, id: string): Promise<RefundRead | undefined> {
  const { data } = await stripe.refunds.list({ payment_intent: paymentIntentId, limit: 100 });
  const live = (refund: RefundRead) => refund.status !== "failed" && refund.status !== "canceled";
  return data.find((refund) => refund.metadata?.refundId === id && live(refund));
}

async function recordStripeRefund(db: Db, source: RefundSource, id: string, stripeRefund: RefundRead) {
  const status = refundStatusOf(stripeRefund.status);
  const data = {
    status,
    stripeRefundId: stripeRefund.id,
    lastError: status === "FAILED" ? (stripeRefund.failure_reason ?? "failed") : null,
    nextAttemptAt: null,
    settledAt: status === "SUCCEEDED" ? new Date() : null,
  };
  if (source === "refund") await db.refund.update({ where: { id }, data });
  else await db.orphanPayment.update({ where: { id }, data });
}

/** Sends an order's decided but unsent refund now (after the decision, or when its paid event comes back). */
export async function settlePendingRefunds(db: Db, stripe: Stripe, orderId: string): Promise<void> {
  const pending = await db.refund.findMany({
    where: { orderId, status: "PENDING", stripeRefundId: null, method: "CARD" },
    select: { id: true },
  });
  for (const refund of pending) await sendRefund(db, stripe, "refund", refund.id, { due: "now" });
}

/**
 * The refund sweep: sends every refund whose last send failed (or never happened, after a crash)
 * once its backoff has passed. Each instance runs it; the claim in sendRefund keeps them apart.
 */
export async function settleDueRefunds(
  db: Db,
  stripe: Stripe,
  { now, batch = 50 }: { now?: Date; batch?: number } = {},
): Promise<number> {
  const due = Prisma.sql`
    status = 'PENDING' AND "stripeRefundId" IS NULL AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${clockOf(now)})
    ORDER BY "createdAt" LIMIT ${batch}`;
  const refunds = await db.$queryRaw<{ id: string }[]>`SELECT id FROM "Refund" WHERE method = 'CARD' AND ${due}`;
  const orphans = await db.$queryRaw<{ id: string }[]>`SELECT id FROM "OrphanPayment" WHERE ${due}`;
  const sends = [
    ...refunds.map(({ id }) => ["refund", id] as const),
    ...orphans.map(({ id }) => ["orphan", id] as const),
  ];
  let sent = 0;
  for (const [source, id] of sends) {
    if ((await sendRefund(db, stripe, source, id, { due: "when_scheduled", now })) === "sent") sent++;
  }
  return sent;
}

/**
 * Sends again a refund Stripe refused or failed, or one still waiting for its next try: the back
 * office's "retry" and the attendee's own. A refund Stripe accepted (pending or succeeded) is left alone.
 */
export async function retryRefund(db: Db, stripe: Stripe, source: RefundSource, id: string): Promise<SendOutcome> {
  // A send on its way (no error yet, its next try ahead) is left to answer: retrying it now could refund twice.
  await db.$executeRaw`
    UPDATE ${TABLE[source]} SET status = 'PENDING', "stripeRefundId" = NULL, "nextAttemptAt" = NULL
    WHERE id = ${id}::uuid AND (status IN ('FAILED', 'CANCELED') OR (status = 'PENDING' AND "stripeRefundId" IS NULL
      AND ("lastError" IS NOT NULL OR "nextAttemptAt" IS NULL OR "nextAttemptAt" <= clock_timestamp())))`;
  return sendRefund(db, stripe, source, id, { due: "now" });
}

/**
 * How a refund reads wherever it is shown, and whether "retry" may be offered. A refund by transfer is the
 * organiser's to send and to mark sent: never Stripe's, never retried. UNSENT: decided, not yet accepted by Stripe.
 */
export function refundStateOf(refund: {
  status: RefundStatus | string;
  stripeRefundId?: string | null;
  method?: string;
}) {
  if (refund.method === "TRANSFER") {
    return { state: refund.status === "SUCCEEDED" ? "SENT_BY_TRANSFER" : "TO_SEND", retryable: false } as const;
  }
  const unsent = refund.status === "PENDING" && !refund.stripeRefundId;
  const state = unsent ? "UNSENT" : (refund.status as RefundStatus);
  return { state, retryable: unsent || refund.status === "FAILED" || refund.status === "CANCELED" } as const;
}

/** A refund that still needs someone: not yet accepted by Stripe, or failed there. */
export const REFUND_NEEDS_ATTENTION = {
  OR: [
    { status: "PENDING" as const, stripeRefundId: null },
    { status: { in: ["FAILED" as const, "CANCELED" as const, "REQUIRES_ACTION" as const] } },
  ],
};

/** A refund someone may send to Stripe again (the attendee's or the organiser's retry): never one by transfer. */
export const REFUND_TO_RETRY = { method: "CARD" as const, ...REFUND_NEEDS_ATTENTION };
