import { randomUUID } from "node:crypto";
import { hotPool, type Db, type Prisma } from "@/lib/db/prisma";
import { sqlStateOf } from "@/lib/capacity/seats";
import { currentRequestId } from "@/lib/log/context";
import { minimumChargeCents } from "@/lib/money/currencies";
import { confirmationEmailsFor, transferQuoteEmailsFor } from "./confirmation-emails";
import { newAccessToken, newOrderReference } from "./codes";
import type { Billing } from "./billing";
import type { GuardRefusal, LimitToSpend } from "./register";

/** What guichet_place_order writes (prisma/migrations/20261129130000_place_order_in_one_call), as built in Node. */
export type OrderRows = {
  order: {
    id: string;
    reference: string;
    accessToken: string;
    editionId: string;
    buyerFirstName: string;
    buyerLastName: string;
    buyerEmail: string;
    buyerCompany: string | null;
    locale: "fr" | "en";
    status: "PENDING" | "CONFIRMED";
    statusReason: string | null;
    amountCents: number;
    currency: string;
    holdExpiresAt: Date | null;
    heldByClient: string | null;
    idempotencyKey: string | null;
    queueOrdinal: number | null;
    confirmedAt: Date | null;
    paymentMethod: "CARD" | "TRANSFER";
    payToken: string | null;
  };
  tickets: {
    id: string;
    position: number;
    ticketTypeId: string;
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    company: string | null;
    accessToken: string | null;
    answers: object;
    priceCents: number;
    /** The code this ticket was priced with (one use of it), and what it took off the list price. */
    voucherId: string | null;
    discountCents: number;
  }[];
};

type Attendee = { firstName: string; lastName: string; email: string; company: string | null };

/**
 * An order's rows with every id, reference and token made here, so the one call that writes them needs
 * no read back: the caller answers from these values.
 */
export function orderRows(placement: {
  editionId: string;
  currency: string;
  buyer: Attendee;
  locale: "fr" | "en";
  tickets: {
    ticketTypeId: string;
    attendee: Attendee | null;
    answers: object;
    priceCents: number;
    voucherId?: string | null;
    discountCents?: number;
  }[];
  holdExpiresAt: Date | null;
  paymentMethod: "CARD" | "TRANSFER";
  statusReason: string | null;
  heldByClient: string | null;
  idempotencyKey: string | null;
  queueOrdinal: number | null;
  now: Date;
}): OrderRows {
  const confirmed = placement.holdExpiresAt === null;
  const byTransfer = !confirmed && placement.paymentMethod === "TRANSFER";
  return {
    order: {
      id: randomUUID(),
      reference: newOrderReference(),
      accessToken: newAccessToken(),
      editionId: placement.editionId,
      buyerFirstName: placement.buyer.firstName,
      buyerLastName: placement.buyer.lastName,
      buyerEmail: placement.buyer.email,
      buyerCompany: placement.buyer.company,
      locale: placement.locale,
      status: confirmed ? "CONFIRMED" : "PENDING",
      statusReason: placement.statusReason,
      amountCents: placement.tickets.reduce((sum, ticket) => sum + ticket.priceCents, 0),
      currency: placement.currency,
      holdExpiresAt: placement.holdExpiresAt,
      heldByClient: confirmed ? null : placement.heldByClient,
      idempotencyKey: placement.idempotencyKey,
      queueOrdinal: placement.queueOrdinal,
      confirmedAt: confirmed ? placement.now : null,
      paymentMethod: byTransfer ? "TRANSFER" : "CARD",
      payToken: byTransfer ? newAccessToken() : null,
    },
    tickets: placement.tickets.map((ticket, index) => ({
      id: randomUUID(),
      position: index + 1,
      ticketTypeId: ticket.ticketTypeId,
      firstName: ticket.attendee?.firstName ?? null,
      lastName: ticket.attendee?.lastName ?? null,
      email: ticket.attendee?.email ?? null,
      company: ticket.attendee?.company ?? null,
      accessToken: ticket.attendee ? newAccessToken() : null,
      answers: ticket.answers,
      priceCents: ticket.priceCents,
      voucherId: ticket.voucherId ?? null,
      discountCents: ticket.discountCents ?? 0,
    })),
  };
}

/** Why guichet_place_order refused an order; everything it wrote was rolled back. */
export type SqlRefusal =
  | { reason: "sold_out" }
  | { reason: "already_registered"; positions: number[] }
  | { reason: "too_many_unpaid_holds" }
  | { reason: "edition_closed" }
  | { reason: "offer_changed" }
  | OfferUnavailable
  | VoucherRefusal
  /** Another order of the edition was placed with this idempotency key (a retry racing its first attempt). */
  | { reason: "key_used" }
  /** One of the caller's limits was over (its refusal: see LimitToSpend); nothing was placed. */
  | { reason: GuardRefusal };

/**
 * A code refused in the call: used up (its uses taken by others, or by this order's tickets beyond what is left), or
 * no longer valid for a ticket (deactivated, out of its window, not for the type, more tickets than its per-order
 * limit). Nothing was held.
 */
export type VoucherRefusal = { reason: "voucher_used_up" } | { reason: "voucher_invalid" };

/**
 * A waiting-list offer the order was placed with could not take it (GS008), and why: no longer OFFERED, past its
 * deadline, another order of it still running, a ticket of another type, or more tickets than its seats left.
 */
export type OfferUnavailable = {
  reason: "offer_unavailable";
  detail: "closed" | "expired" | "order_running" | "wrong_type" | "too_many";
};

/** Another order of the edition was placed with this place in its queue (one order per place; lib/queue). */
export class QueuePlaceUsed extends Error {}

const REFUSALS: Record<string, SqlRefusal["reason"]> = {
  GS001: "sold_out",
  GS002: "already_registered",
  GS003: "too_many_unpaid_holds",
  GS004: "edition_closed",
  GS005: "offer_changed",
  GS006: "voucher_used_up",
  GS007: "voucher_invalid",
  GS008: "offer_unavailable",
};

const IDEMPOTENCY_INDEX = "Order_editionId_idempotencyKey_key";
const QUEUE_PLACE_INDEX = "Order_editionId_queueOrdinal_key";

export type PlaceOrderOptions = {
  /** Checks each ticket's type, price and sale window against the database (a public buyer's offer). */
  checkOffer?: boolean;
  evenIfClosed?: boolean;
  /** A public client's cap on unpaid seats in the edition, this order's included. */
  unpaid?: { clientKey: string; max: number };
  /** Spent first, and kept spent whatever the placement answers (see LimitToSpend). */
  limits?: LimitToSpend[];
  /** Who an organisation's order is invoiced to, written with the order. */
  billing?: Billing | null;
  /** The waiting-list offer whose held seats the tickets take (checked under the edition's row, GS008). */
  offer?: { id: string } | null;
  transitionReason: string | null;
  now: Date;
};

function placementParameter(rows: OrderRows, options: PlaceOrderOptions): string {
  const { order, tickets } = rows;
  const emails =
    order.status === "CONFIRMED"
      ? confirmationEmailsFor(order, ticketsAtFirstVersion(tickets))
      : order.paymentMethod === "TRANSFER"
        ? transferQuoteEmailsFor(order, options.billing ?? null)
        : [];
  return JSON.stringify({
    order,
    tickets,
    transition: { id: randomUUID(), toStatus: order.status, reason: options.transitionReason, createdAt: options.now },
    emails: emails.map((email) => ({ id: randomUUID(), ...email, requestId: currentRequestId() ?? null })),
    now: options.now,
    minimumChargeCents: minimumChargeCents(order.currency),
    checkOffer: options.checkOffer ?? false,
    evenIfClosed: options.evenIfClosed ?? false,
    unpaid: order.status === "PENDING" ? (options.unpaid ?? null) : null,
    limits: options.limits ?? [],
    billing: options.billing ?? null,
    offer: options.offer ?? null,
  });
}

// A ticket just written is at its first code version (the column's default).
const ticketsAtFirstVersion = (tickets: OrderRows["tickets"]) =>
  tickets.map((ticket) => ({ ...ticket, codeVersion: 1 }));

/**
 * Writes an order, its transition, its confirmation emails and their jobs, then its tickets (the claim),
 * then checks what needs the edition's lock, in one statement and one round trip on the client's pg pool
 * (autocommit), or inside `tx` when the caller has more to write in the same transaction. Returns null
 * when placed, or the refusal.
 */
export async function placeOrderInOneCall(
  target: { db: Db } | { tx: Prisma.TransactionClient },
  rows: OrderRows,
  options: PlaceOrderOptions,
): Promise<SqlRefusal | null> {
  const parameter = placementParameter(rows, options);
  try {
    if ("tx" in target) {
      if (options.limits?.length) throw new Error("placeOrderInOneCall: limits are spent outside a transaction");
      await target.tx.$queryRaw`SELECT guichet_place_order(${parameter}::jsonb) AS r`;
      return null;
    }
    // With limits to spend, the placement's refusals come back as a value, so that the limits' counts commit.
    const fn = options.limits?.length ? "guichet_place_order_within_limits" : "guichet_place_order";
    const { rows: answer } = await hotPool(target.db).query<{ r: Placed }>(`SELECT ${fn}($1::jsonb) AS r`, [parameter]);
    const { r } = answer[0];
    if (r.placed) return null;
    if (r.refused === "rate_limited" || r.refused === "challenge_failed") return { reason: r.refused };
    const refusal = refusalOf(r.refused, r.message);
    if (!refusal) throw new Error(`placeOrderInOneCall: unknown refusal ${r.refused}`);
    return refusal;
  } catch (error) {
    const { constraint } = error as { constraint?: string };
    if (constraint === IDEMPOTENCY_INDEX) return { reason: "key_used" };
    if (constraint === QUEUE_PLACE_INDEX) throw new QueuePlaceUsed("this place in the queue placed an order already");
    const refusal = refusalOf(sqlStateOf(error), sqlMessageOf(error), sqlDetailOf(error));
    if (!refusal) throw error;
    return refusal;
  }
}

// What guichet_place_order(_within_limits) answers: placed, or a limit's refusal or a placement's SQLSTATE.
type Placed = { placed: true; refused?: undefined } | { placed?: undefined; refused: string; message: string };

function refusalOf(state: string | null | undefined, message: string, detail = ""): SqlRefusal | null {
  const reason = state ? REFUSALS[state] : undefined;
  if (!reason) return null;
  if (reason === "offer_unavailable") return { reason, detail: detail as OfferUnavailable["detail"] };
  if (reason !== "already_registered") return { reason } as SqlRefusal;
  return { reason, positions: JSON.parse(message.slice("already_registered:".length)) as number[] };
}

// The MESSAGE a plpgsql RAISE set: a pg DatabaseError's message, or kept by Prisma's P2010 in its driver error.
function sqlMessageOf(error: unknown): string {
  const e = error as { message?: string; meta?: { driverAdapterError?: { cause?: { originalMessage?: string } } } };
  return e.meta?.driverAdapterError?.cause?.originalMessage ?? e.message ?? "";
}

// The DETAIL a plpgsql RAISE set (GS008's why): a pg DatabaseError's detail, or kept by Prisma in its driver error.
function sqlDetailOf(error: unknown): string {
  const e = error as { detail?: string; meta?: { driverAdapterError?: { cause?: { detail?: string } } } };
  return e.meta?.driverAdapterError?.cause?.detail ?? e.detail ?? "";
}
