import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { currentRequestId } from "@/lib/log/context";
import { queueEmailJob } from "./queue";

/** Every kind of email the app writes to the outbox; each has its label in the catalogues' `emails.kind`. */
export const EMAIL_KINDS = [
  "order_confirmation",
  "ticket_transfer_received",
  "ticket_transfer_sent",
  "returning_prefill",
  "sign_in_link",
  "order_cancelled",
  "order_refunded",
  "ticket_email_changed",
  "ticket_issued",
  "unnamed_reminder",
  "invoice",
  "transfer_quote",
  "transfer_reminder",
  "transfer_expired",
  "speaker_pass",
  "waitlist_joined",
  "waitlist_offer",
  "waitlist_offer_lapsed",
  "message",
  "practical_info",

  "certificate_ready",
  "privacy_export",
  "privacy_erasure_request",
  "privacy_request_refused",
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/**
 * Writes an email to the outbox and queues its sending, both in the caller's transaction, so the
 * email exists exactly when the change that causes it does. The dedupe key makes a second call
 * for the same meaning (a replayed webhook, say) a no-op. The request (or job, or sweep) that queued it goes with it,
 * so the worker's lines about it carry the same id.
 */
export async function enqueueEmail(
  tx: Prisma.TransactionClient,
  email: {
    dedupeKey: string;
    kind: EmailKind;
    orderId?: string;
    toAddress: string;
    locale: "fr" | "en";
    payload?: object;
  },
): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "orderId", "toAddress", locale, payload, "requestId")
    VALUES (gen_random_uuid(), ${email.dedupeKey}, ${email.kind}, ${email.orderId ?? null}::uuid, ${email.toAddress},
      ${email.locale}::"Locale", ${JSON.stringify(email.payload ?? {})}::jsonb, ${currentRequestId() ?? null})
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING id`;
  if (rows.length === 0) return false;
  await queueEmailJob(tx, rows[0].id);
  return true;
}

/** The request, job or sweep that queued an outbox email, if known (null for one queued before issue 20). */
export async function requestIdOfEmail(db: Db, outboxId: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ requestId: string | null }[]>`
    SELECT "requestId" FROM "EmailOutbox" WHERE id = ${outboxId}::uuid`;
  return rows[0]?.requestId ?? null;
}

/**
 * A waiting-list email (queued in SQL by the list's functions, or by a join): its entry and, for an offer's, the
 * offer. Rendered from the rows as they are when it leaves (lib/notifications/renderers.ts).
 */
export type WaitlistEmailPayload = { entryId: string; offerId?: string };

/** A speaker's pass: the code given to them, rendered with its link as the code is when the email leaves. */
export type SpeakerPassPayload = { voucherId: string; name: string };

/** A data request the organisers refused: which kind, and the note they gave (GDPR art. 12(4): the reason is told). */
export type PrivacyRefusalPayload = { kind: "ACCESS" | "ERASURE"; note: string };

export const accessTokenHash = (token: string) => createHash("sha256").update(token).digest("base64url");

/** What a confirmation announces, fixed when it is queued: the tickets' code versions and the link's token. */
export type ConfirmationSnapshot = { codeVersions: Record<string, number>; tokenHash: string };

/**
 * The confirmation email of an order (ticket, QR, PDF, private link): queued when the order
 * becomes CONFIRMED, or again on request to `toAddress`. It is rendered at send time, so it
 * carries a snapshot of the credentials it was meant for: if a transfer changes them first, the
 * email is superseded instead of handing the new holder's link to the previous one.
 */
export async function enqueueOrderConfirmation(
  tx: Prisma.TransactionClient,
  orderId: string,
  request: { dedupeKey?: string; toAddress?: string } = {},
): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({
    where: { id: orderId },
    select: { buyerEmail: true, locale: true, accessToken: true, tickets: { select: { id: true, codeVersion: true } } },
  });
  const payload: ConfirmationSnapshot = {
    codeVersions: Object.fromEntries(order.tickets.map((ticket) => [ticket.id, ticket.codeVersion])),
    tokenHash: accessTokenHash(order.accessToken),
  };
  await enqueueEmail(tx, {
    dedupeKey: request.dedupeKey ?? `order-confirmation:${orderId}`,
    kind: "order_confirmation",
    orderId,
    toAddress: request.toAddress ?? order.buyerEmail,
    locale: order.locale,
    payload,
  });
}

/** An invoice or credit note's email: which document, found among its order's at send time. */
export type InvoiceEmailPayload = { invoiceId: string };

/** An issued invoice to the buyer and, for an organisation, its accounts email: one email to each address. */
export async function enqueueInvoiceEmails(
  tx: Prisma.TransactionClient,
  invoice: { invoiceId: string; orderId: string; locale: "fr" | "en"; to: string[] },
): Promise<void> {
  for (const toAddress of invoice.to) {
    const payload: InvoiceEmailPayload = { invoiceId: invoice.invoiceId };
    await enqueueEmail(tx, {
      dedupeKey: `invoice:${invoice.invoiceId}:${toAddress}`,
      kind: "invoice",
      orderId: invoice.orderId,
      toAddress,
      locale: invoice.locale,
      payload,
    });
  }
}

/** What a ticket email announces: that ticket, at that code version, behind that link. */
export type TicketEmailSnapshot = { ticketId: string; codeVersion: number; tokenHash: string };

/**
 * One attendee's own ticket email (QR, PDF, their private link to this ticket only), for a ticket of
 * a group whose attendee is not the buyer. Superseded at send time if the ticket changed holder since.
 */
export async function enqueueTicketEmail(
  tx: Prisma.TransactionClient,
  ticketId: string,
  request: { dedupeKey?: string } = {},
): Promise<void> {
  const ticket = await tx.ticket.findUniqueOrThrow({
    where: { id: ticketId },
    select: { orderId: true, email: true, accessToken: true, codeVersion: true, order: { select: { locale: true } } },
  });
  if (!ticket.email || !ticket.accessToken) throw new Error("enqueueTicketEmail: the ticket is not named");
  const payload: TicketEmailSnapshot = {
    ticketId,
    codeVersion: ticket.codeVersion,
    tokenHash: accessTokenHash(ticket.accessToken),
  };
  await enqueueEmail(tx, {
    dedupeKey: request.dedupeKey ?? `ticket-issued:${ticketId}:${ticket.codeVersion}`,
    kind: "ticket_issued",
    orderId: ticket.orderId,
    toAddress: ticket.email,
    locale: ticket.order.locale,
    payload,
  });
}

export type StatusEmailPayload = {
  reason: string;
  amountCents?: number;
  currency?: string;
  /** For one ticket of an order cancelled on its own: which one ("ticket 2", and its holder's name). */
  ticket?: { id: string; position: number; holder: string | null };
  /** The order was paid by bank transfer: the money goes back by the organiser's transfer, not to a card. */
  byTransfer?: boolean;
  /** That ticket was the order's last valid one: no other stays valid. */
  lastTicket?: boolean;
};

// A solo order's news goes to whoever holds its ticket now (after a transfer, not the buyer); a group's to its buyer,
// who paid for every ticket. In the order's language.
async function enqueueStatusEmail(
  tx: Prisma.TransactionClient,
  orderId: string,
  kind: "order_cancelled" | "order_refunded",
  payload: StatusEmailPayload,
) {
  const order = await tx.order.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      buyerEmail: true,
      locale: true,
      tickets: { select: { email: true }, orderBy: { createdAt: "asc" }, take: 2 },
    },
  });
  const holder = order.tickets.length === 1 ? order.tickets[0].email : null;
  await enqueueEmail(tx, {
    dedupeKey: `${kind}:${orderId}`,
    kind,
    orderId,
    toAddress: holder ?? order.buyerEmail,
    locale: order.locale,
    payload,
  });
}

/** "Your registration is cancelled", when an attendee cancels a free ticket or organisers cancel without refund. */
export function enqueueCancellationEmail(
  tx: Prisma.TransactionClient,
  orderId: string,
  reason: "attendee_cancelled" | "organiser_cancelled",
): Promise<void> {
  return enqueueStatusEmail(tx, orderId, "order_cancelled", { reason });
}

/** The refund of an order, with its amount; a late payment refunded for want of a seat says so. */
export function enqueueRefundEmail(
  tx: Prisma.TransactionClient,
  order: { id: string; amountCents: number; currency: string },
  reason: string,
  method: "CARD" | "TRANSFER" = "CARD",
): Promise<void> {
  return enqueueStatusEmail(tx, order.id, "order_refunded", {
    reason,
    amountCents: order.amountCents,
    currency: order.currency,
    ...(method === "TRANSFER" && { byTransfer: true }),
  });
}

/**
 * One ticket of an order cancelled (and refunded, with its amount) on its own: told to the buyer, who
 * paid for it and gets the money back, naming the ticket.
 */
export async function enqueueTicketStatusEmail(
  tx: Prisma.TransactionClient,
  order: { id: string },
  ticket: { id: string; position: number; firstName: string | null; lastName: string | null },
  change: {
    kind: "order_cancelled" | "order_refunded";
    reason: string;
    amountCents?: number;
    currency?: string;
    byTransfer?: boolean;
    lastTicket?: boolean;
  },
): Promise<void> {
  const { buyerEmail, locale } = await tx.order.findUniqueOrThrow({
    where: { id: order.id },
    select: { buyerEmail: true, locale: true },
  });
  const holder = ticket.firstName === null ? null : `${ticket.firstName} ${ticket.lastName ?? ""}`.trim();
  const { kind, ...status } = change;
  await enqueueEmail(tx, {
    dedupeKey: `${kind}:${order.id}:${ticket.id}`,
    kind,
    orderId: order.id,
    toAddress: buyerEmail,
    locale,
    payload: { ...status, ticket: { id: ticket.id, position: ticket.position, holder } } satisfies StatusEmailPayload,
  });
}
