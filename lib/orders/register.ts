import { hotQueries, type Db, type Prisma } from "@/lib/db/prisma";
import { consumeRateLimit, refundRateLimit, type RateLimit } from "@/lib/rate-limit/consume";
import {
  findCode,
  priceTicketsWithCode,
  takesBlockSeat,
  type CodeRefusalReason,
  type PricedTicket,
} from "@/lib/vouchers/redeem";
import type { Billing } from "./billing";
import {
  getSeatUsage,
  seatsLeft,
  seatsTaken,
  soldOutRefusal,
  sqlStateOf,
  type SeatRefusal,
  type SeatUsage,
} from "@/lib/capacity/seats";
import { saleState, type SaleState } from "@/lib/editions/sales";
import { transferDeadlineOffered } from "@/lib/editions/transfer-deadline";
import { readEdition, type EditionCache, type SeatReading } from "@/lib/editions/edition-cache";
import {
  orderRows,
  placeOrderInOneCall,
  type OfferUnavailable,
  type OrderRows,
  type SqlRefusal,
  type VoucherRefusal,
} from "./place-order-sql";
import { parseAnswers, type QuestionForAnswers } from "@/lib/editions/answers";
import { fieldErrorsOfEach, isSafeText, type FieldErrors } from "@/lib/forms/fields";
import { loadOffer } from "@/lib/waitlist/offer-link";
import { metrics } from "@/lib/metrics/registry";
import { parseOrderRequest, ticketFieldPrefix, type Locale, type TicketRequest } from "./registration-request";

export type RegisteredOrder = {
  id: string;
  reference: string;
  accessToken: string;
  status: "PENDING" | "CONFIRMED";
  amountCents: number;
  currency: string;
  holdExpiresAt: Date | null;
  /** TRANSFER: held until its deadline (holdExpiresAt), paid against the quote it was emailed. */
  paymentMethod: "CARD" | "TRANSFER";
  /** A transfer order's payment link, for whoever pays it (see payPath). */
  payToken: string | null;
  locale: Locale;
  /** Each ticket's price, what a code took off it and that code as the buyer sees it (null: none). */
  tickets: { position: number; ticketType: string; priceCents: number; discountCents: number; code: string | null }[];
};

/** Why an order was not placed: the claim's refusal, or the holder already has too many unpaid seats. */
export type PlacementRefusal = SeatRefusal | { reason: "too_many_unpaid_holds" };

/** What refuses a public buyer's order where it is placed: PlacementRefusal, a stale offer, a limit spent. */
type PublicPlacementRefusal = PlacementRefusal | { reason: "offer_changed" } | { reason: GuardRefusal };

/** A public caller kept out before a seat is taken (see lib/abuse/registration-guard.ts). */
export type GuardRefusal = "rate_limited" | "challenge_failed";

/** Sold out, as a caller who names ticket types by code hears it: seats left overall and per type asked. */
export type SoldOut = { reason: "sold_out"; left: number; leftByCode: Record<string, number> };

export type RegistrationRefusal =
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" }
  | ({ ok: false } & (Exclude<PlacementRefusal, { reason: "sold_out" }> | SoldOut | OfferUnavailable))
  | { ok: false; reason: Exclude<SaleState, "on_sale" | "unavailable"> | GuardRefusal | CodeRefusalReason };

/** `replayed`: the order an earlier request with the same idempotency key placed, whatever this one asked. */
export type RegistrationResult = { ok: true; order: RegisteredOrder; replayed?: boolean } | RegistrationRefusal;

/**
 * What stands between a public caller and a seat. `admit` runs once the request is valid and the
 * ticket on sale, so a typo or a sold-out answer costs neither a rate-limit slot nor a challenge.
 * An admitted caller may come with who holds the seat while it is unpaid (see UnpaidHolder).
 */
export type RegistrationGuard = {
  admit(edition: { id: string }, now: Date): Promise<Admission>;
};

export type Admission =
  { ok: true; holder: UnpaidHolder | null; limits: LimitToSpend[] } | { ok: false; reason: GuardRefusal };

/**
 * A limit an admitted caller spends one attempt of, counted in the call that places the order (so it costs no
 * round trip of its own) and kept spent if the placement is refused. The first one over answers its refusal.
 */
export type LimitToSpend = RateLimit & { refusal: GuardRefusal };

/** A client holding unpaid seats, by a pseudonym, and how many it may hold at once in an edition. */
export type UnpaidHolder = { clientKey: string; maxUnpaidHolds: number };

export type RegistrationOptions = {
  now?: Date;
  holdMinutes: number;
  guard?: RegistrationGuard;
  /** The buyer's place in the edition's queue (lib/queue): one order per place. */
  queueOrdinal?: number;
  /** Where the edition is read from: this instance's cache (see edition-cache.ts), or the database. */
  editions?: EditionCache;
  /** The client's key for this registration: a retry with it gets the order its first attempt placed. */
  idempotencyKey?: string;
  /** A waiting-list entry's private token: its offer's held seats are the ones taken (docs/waiting-list.md). */
  offer?: string;
};

const FOREIGN_KEY_VIOLATION = "23503";

class PlacementRefused extends Error {
  constructor(readonly refusal: SqlRefusal) {
    super(refusal.reason);
  }
}

/**
 * Registers one attendee, or a buyer's group of attendees, for an edition: validates the request
 * against the edition (types on sale, the order's size limits, one seat per attendee email), then
 * inserts the order and claims all its seats in one call (see placeOrder). An order with
 * nothing to pay is confirmed at once; otherwise it is held (PENDING) for `holdMinutes`. Used by the
 * registration form and the API.
 */
export async function registerAttendee(
  db: Db,
  editionSlug: string,
  input: unknown,
  options: RegistrationOptions,
): Promise<RegistrationResult> {
  const result = await attemptRegistration(db, editionSlug, input, options);
  // A slug nobody has is not a label: one per made-up slug would grow the registry without bound.
  const edition = result.ok || result.reason !== "not_found" ? editionSlug : "unknown";
  const outcome = result.ok ? (result.replayed ? "replayed" : "placed") : result.reason;
  metrics().registrations.inc({ edition, outcome });
  return result;
}

async function attemptRegistration(
  db: Db,
  editionSlug: string,
  input: unknown,
  options: RegistrationOptions,
): Promise<RegistrationResult> {
  const { now = new Date(), holdMinutes, guard, editions, idempotencyKey, queueOrdinal, offer: token } = options;
  if (typeof editionSlug !== "string" || !isSafeText(editionSlug)) return { ok: false, reason: "not_found" };
  const edition = editions ? await editions.edition(db, editionSlug) : await readEdition(db, editionSlug);
  if (!edition || edition.status === "DRAFT") return { ok: false, reason: "not_found" };
  // A retry is answered before anything else: its first attempt's seats would make it sold out.
  const first = idempotencyKey ? await orderPlacedWithKey(db, edition.id, idempotencyKey) : null;
  if (first) return { ok: true, order: first, replayed: true };

  const request = parseOrderRequest(input);
  if (!request.success) {
    // A one-attendee form with bad fields hears about its answers too, in one go.
    const answers = isGroupShape(input) ? null : parseAnswers(edition.questions, answersOf(input));
    const fieldErrors = answers
      ? { ...request.fieldErrors, ...fieldErrorsOfEach([answers, ["answers"]]) }
      : request.fieldErrors;
    return { ok: false, reason: "invalid", fieldErrors };
  }
  const { data, single } = request;
  const held = token === undefined ? null : await loadOffer(db, edition.id, token);
  if (token !== undefined && !held) return { ok: false, reason: "offer_unavailable", detail: "closed" };
  // Days of a transfer's hold would stall the line behind the offer: an offer is paid by card.
  if (held && data.paymentMethod === "transfer") {
    return { ok: false, reason: "invalid", fieldErrors: { paymentMethod: ["transfer_unavailable"] } };
  }
  const found = data.code === null ? null : await findCode(db, edition.id, data.code, now);
  if (found && !found.ok) return refuseCode(db, guard, edition, now, found.reason);
  const voucher = found?.voucher ?? null;
  // An offer's type may have been hidden since it was offered: its held seats stay the offer's to buy.
  const unlocked = [...(voucher?.ticketTypeIds ?? []), ...(held ? [held.offer.ticketTypeId] : [])];
  const checked = checkOrderTickets(edition, data.tickets, { single, now, unlocked });
  if (!checked.ok) return { ok: false, reason: "invalid", fieldErrors: checked.fieldErrors };
  const placeable = checked.lines;

  const types = [...new Map(placeable.map((line) => [line.ticketType.id, line.ticketType])).values()];
  for (const type of types) {
    const state = saleState(edition, type, now);
    if (state !== "on_sale") return { ok: false, reason: state as Exclude<SaleState, "on_sale" | "unavailable"> };
  }

  // Once sold out, the rush's latecomers are answered from one read of the counters, without taking
  // the lock; the claim below stays the only thing that grants a seat. Far from sold out by this instance's
  // reading of half a second ago, that read is spared: the claim would answer a sold out as rightly, at more cost.
  // A code of a reserved block, or an offer, may have seats where general sale has none: only the claim knows.
  const reading = editions?.seatReading(edition.id);
  const blockSeats =
    held !== null || (voucher !== null && placeable.some((line) => takesBlockSeat(voucher, line.ticketType)));
  if (!blockSeats && (!reading || !farFromSoldOut(edition, placeable, reading))) {
    const usage = await getSeatUsage(hotQueries(db), edition.id);
    editions?.noteReading(edition.id, usage);
    const soldOut = notEnoughSeats(edition, placeable, usage);
    if (soldOut) return { ok: false, ...soldOutByCode(edition.ticketTypes, soldOut) };
  }
  const admission = guard ? await guard.admit(edition, now) : { ok: true as const, holder: null, limits: [] };
  if (!admission.ok) return admission;

  const priced = voucher ? priceTicketsWithCode(voucher, placeable, edition.currency) : listPriced(placeable);
  if (!priced.ok) return refuseCode(db, admitted(admission), edition, now, priced.reason);
  const { tickets } = priced;
  // A hidden type is sold only with the code: tickets of it beyond the code's uses per order are not offered.
  const beyondCode = tickets.flatMap((ticket, index) =>
    ticket.ticketType.hidden && !ticket.voucherId && ticket.ticketType.id !== held?.offer.ticketTypeId ? [index] : [],
  );
  if (beyondCode.length > 0) {
    const field = (index: number) => [...ticketFieldPrefix(single, index), "ticketType"].join(".");
    return {
      ok: false,
      reason: "invalid",
      fieldErrors: Object.fromEntries(beyondCode.map((index) => [field(index), ["unknown_ticket_type"]])),
    };
  }
  const isFree = tickets.every((ticket) => ticket.priceCents === 0);
  // Nothing to pay, nothing to transfer: a free order is confirmed whatever method was asked.
  const byTransfer = data.paymentMethod === "transfer" && !isFree;
  const deadline = byTransfer ? await transferDeadlineOffered(db, edition, now) : null;
  if (byTransfer && !deadline) {
    return { ok: false, reason: "invalid", fieldErrors: { paymentMethod: ["transfer_unavailable"] } };
  }
  const placed = await placeOrder(db, {
    edition,
    buyer: data.buyer,
    tickets,
    locale: data.locale,
    holdExpiresAt: isFree ? null : (deadline ?? new Date(now.getTime() + holdMinutes * 60_000)),
    paymentMethod: byTransfer ? "TRANSFER" : "CARD",
    billing: data.billing,
    unpaidHolder: admission.holder ?? undefined,
    limits: admission.limits,
    queueOrdinal,
    checkOffer: true,
    idempotencyKey,
    offer: held && { id: held.offer.id },
    now,
  }).catch((error) => {
    // The organiser deleted the ticket type while this registration was on its way.
    if (sqlStateOf(error) === FOREIGN_KEY_VIOLATION) return { ok: false, reason: "gone" } as const;
    throw error;
  });
  // The type changed (price, sale window, hidden, deleted) since the edition was read: a cached copy is
  // forgotten and the request tried once more on the database's, as admitted already.
  if (!placed.ok && placed.reason === "offer_changed" && editions) {
    editions.invalidate(edition.id);
    // Its limits were spent by the refused call: they are not counted twice.
    const spent: RegistrationGuard = { admit: async () => ({ ...admission, limits: [] }) };
    return attemptRegistration(db, editionSlug, input, { ...options, guard: spent, editions: undefined });
  }
  // The code changed between its reading and the placement (deactivated, its window ended): said as a fresh look
  // at it says, the limits already spent by the refused call.
  if (!placed.ok && placed.reason === "voucher_invalid") {
    const again = data.code === null ? null : await findCode(db, edition.id, data.code, now);
    return { ok: false, reason: again && !again.ok ? again.reason : "voucher_unknown" };
  }
  if (!placed.ok && (placed.reason === "gone" || placed.reason === "offer_changed")) {
    return {
      ok: false,
      reason: "invalid",
      fieldErrors: { [single ? "ticketType" : "tickets"]: ["unknown_ticket_type"] },
    };
  }
  if (placed.ok) {
    if (!placed.replayed) editions?.notePlaced(edition.id, placed.order.tickets.length);
    return { ok: true, order: placed.order, replayed: placed.replayed };
  }
  if (placed.reason !== "sold_out") return placed;
  // The edition was fuller than this instance's reading said: the next requests read the counters again.
  editions?.noteReading(edition.id, null);
  return { ok: false, ...soldOutByCode(edition.ticketTypes, placed) };
}

/** Each ticket at its type's list price: an order without a code. */
function listPriced<L extends { ticketType: { priceCents: number } }>(lines: L[]) {
  const tickets: PricedTicket<L>[] = lines.map((line) => ({ ...line, priceCents: line.ticketType.priceCents }));
  return { ok: true as const, tickets };
}

/** A guard that admits as an admission already did, its limits not yet spent. */
const admitted = (admission: Admission): RegistrationGuard => ({ admit: async () => admission });

/**
 * An unknown code spends one try of the caller's limits, as an order does (a solved challenge, one registration of the
 * hour), so that codes cannot be guessed one after the other; a real code that does not fit the order (other types,
 * used up, expired) gives its try back: typing it is no guess. Past a limit, every code's refusal answers instead, so
 * that a real code is told apart from a guess no more there. An organiser's integration (no limits) is told at once.
 */
async function refuseCode(
  db: Db,
  guard: RegistrationGuard | undefined,
  edition: { id: string },
  now: Date,
  reason: CodeRefusalReason,
): Promise<RegistrationRefusal> {
  const admission = guard ? await guard.admit(edition, now) : { ok: true as const, holder: null, limits: [] };
  if (!admission.ok) return admission;
  const spent: string[] = [];
  for (const limit of admission.limits) {
    if (!(await consumeRateLimit(db, limit.key, { ...limit, now }))) return { ok: false, reason: limit.refusal };
    spent.push(limit.key);
  }
  if (reason !== "voucher_unknown") for (const key of spent) await refundRateLimit(db, key);
  return { ok: false, reason };
}

type TicketTypeForOrder = TicketTypeRow & { active: boolean; salesStartAt: Date | null; salesEndAt: Date | null };

/**
 * The rules an order's tickets meet before any seat is taken, whoever places it: each ticket's type
 * exists, its answers are valid, an unnamed ticket only where the edition allows naming later, no
 * attendee email twice, and the order's size limits. A public buyer only gets types the edition
 * offers and answers its required questions; an organiser giving tickets (`byOrganiser`) may give
 * any of the edition's types, hidden ones included, and is asked no question. Field errors are named
 * as the request names its fields (see ticketFieldPrefix).
 */
export function checkOrderTickets<T extends TicketTypeForOrder>(
  edition: {
    status: "DRAFT" | "OPEN" | "CLOSED";
    allowNameLater: boolean;
    maxTicketsPerOrder: number;
    ticketTypes: T[];
    questions: QuestionForAnswers[];
  },
  tickets: TicketRequest[],
  {
    single,
    now,
    byOrganiser = false,
    unlocked = [],
  }: { single: boolean; now: Date; byOrganiser?: boolean; unlocked?: string[] },
):
  | { ok: true; lines: { ticketType: T; attendee: AttendeeDetails | null; answers: object }[] }
  | { ok: false; fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {};
  const lines = tickets.map((ticket, index) => {
    const prefix = ticketFieldPrefix(single, index);
    // An attendee named later answers then (from their own ticket page): nothing is required of them now.
    const optional = byOrganiser || !ticket.attendee;
    const questions = optional ? edition.questions.map((q) => ({ ...q, required: false })) : edition.questions;
    const answers = parseAnswers(questions, ticket.answers);
    Object.assign(fieldErrors, fieldErrorsOfEach([answers, [...prefix, "answers"]]));
    const ticketType = edition.ticketTypes.find((type) => type.code === ticket.ticketType);
    const offered =
      ticketType &&
      (byOrganiser ||
        (saleState(edition, ticketType, now) !== "unavailable" &&
          (!ticketType.hidden || unlocked.includes(ticketType.id))));
    if (!offered) {
      fieldErrors[[...prefix, "ticketType"].join(".")] = ["unknown_ticket_type"];
    }
    if (!ticket.attendee && !edition.allowNameLater) fieldErrors[[...prefix, "attendee"].join(".")] = ["required"];
    return { ticketType, attendee: ticket.attendee, answers: answers.success ? answers.data : {} };
  });
  Object.assign(fieldErrors, duplicateAttendeeErrors(tickets), orderSizeErrors(edition, lines));
  const placeable = lines.filter((line): line is typeof line & { ticketType: T } => Boolean(line.ticketType));
  if (Object.keys(fieldErrors).length > 0 || placeable.length < lines.length) return { ok: false, fieldErrors };
  return { ok: true, lines: placeable };
}

/** A claim's sold-out answer with ticket types named by their codes, as callers name them. */
export function soldOutByCode(
  types: { id: string; code: string }[],
  { left, leftByTicketType }: Extract<SeatRefusal, { reason: "sold_out" }>,
): SoldOut {
  const codeOf = new Map(types.map((type) => [type.id, type.code]));
  const leftByCode = Object.fromEntries(Object.entries(leftByTicketType).map(([id, n]) => [codeOf.get(id) ?? id, n]));
  return { reason: "sold_out", left, leftByCode };
}

export type AttendeeDetails = { firstName: string; lastName: string; email: string; company: string | null };

export type TicketToPlace = {
  ticketType: { id: string; code: string };
  /** null: unnamed, the buyer names the attendee later. */
  attendee: AttendeeDetails | null;
  answers: object;
  /** What this ticket costs in this order: its type's price, its price with a code, or 0 when complimentary. */
  priceCents: number;
  /** The code that priced it (one use, counted in the call), and what it took off: list = priceCents + discount. */
  voucherId?: string;
  discountCents?: number;
  /** That code as the buyer typed it, normalised: told back in the order's answer. */
  voucherCode?: string;
};

export type OrderToPlace = {
  edition: { id: string; currency: string };
  buyer: AttendeeDetails;
  /** At least one; their positions in the order follow this order. */
  tickets: TicketToPlace[];
  locale: Locale;
  /** null: confirmed at once (free or complimentary); otherwise held, pending payment, until then. */
  holdExpiresAt: Date | null;
  /** TRANSFER: held until its deadline (holdExpiresAt), with a quote emailed and a link for whoever pays it. */
  paymentMethod?: "CARD" | "TRANSFER";
  statusReason?: string;
  /** Organisers may add complimentary tickets after registration has closed; capacity still holds. */
  evenIfClosed?: boolean;
  /** A public caller's unpaid seats are capped per edition (checked under the edition lock). */
  unpaidHolder?: UnpaidHolder;
  /** What a public caller spends on this order (see LimitToSpend); not with alsoInTransaction. */
  limits?: LimitToSpend[];
  /** An organisation's order: who it is invoiced to (see lib/orders/billing.ts). */
  billing?: Billing | null;
  /** More writes that belong to the same transaction, e.g. the back office's audit entry. */
  alsoInTransaction?: (tx: Prisma.TransactionClient, order: { id: string; ticketIds: string[] }) => Promise<void>;
  /** The place in the edition's queue this order was placed with, unique per edition. */
  queueOrdinal?: number;
  /**
   * A public buyer's offer: each ticket's type, price and sale window are checked again in the database,
   * so an order priced from a stale copy of the edition is refused (offer_changed), never sold.
   */
  checkOffer?: boolean;
  /** The client's key for this order: an order of the edition placed with it already is answered instead. */
  idempotencyKey?: string;
  /** A waiting-list offer whose held seats the tickets take; refused as offer_unavailable when it cannot. */
  offer?: { id: string } | null;
  now: Date;
};

// A ticket priced without a code: no code can refuse its order.
type WithoutCode = TicketToPlace & { voucherId?: undefined };

/** `replayed`: the order an earlier request with the same idempotency key placed. */
type Placement<Refusal> = { ok: true; order: RegisteredOrder; replayed?: boolean } | ({ ok: false } & Refusal);

/**
 * Inserts an order with its tickets and claims all their seats in one call (see placeOrderInOneCall):
 * all or nothing. The registration form, the API and the back office's complimentary tickets all come
 * here. A confirmed order queues its confirmation emails in the same transaction.
 */
export function placeOrder(
  db: Db,
  order: OrderToPlace & { unpaidHolder?: undefined; limits?: undefined; tickets: WithoutCode[] },
): Promise<Placement<SeatRefusal>>;
export function placeOrder(
  db: Db,
  order: OrderToPlace & { tickets: WithoutCode[] },
): Promise<Placement<PublicPlacementRefusal>>;
export function placeOrder(
  db: Db,
  order: OrderToPlace,
): Promise<Placement<PublicPlacementRefusal | VoucherRefusal | OfferUnavailable>>;
export async function placeOrder(
  db: Db,
  {
    edition,
    buyer,
    tickets,
    locale,
    holdExpiresAt,
    paymentMethod = "CARD",
    statusReason,
    evenIfClosed,
    unpaidHolder,
    limits = [],
    billing = null,
    alsoInTransaction,
    queueOrdinal,
    checkOffer,
    idempotencyKey,
    offer,
    now,
  }: OrderToPlace,
): Promise<Placement<PublicPlacementRefusal | VoucherRefusal | OfferUnavailable>> {
  if (tickets.length === 0) throw new Error("placeOrder: an order holds at least one ticket");
  // A refusal rolls the caller's transaction back, and what the limits counted with it.
  if (alsoInTransaction && limits.length > 0) throw new Error("placeOrder: limits are spent outside a transaction");
  const rows = orderRows({
    editionId: edition.id,
    currency: edition.currency,
    buyer,
    locale,
    tickets: tickets.map((ticket) => ({ ...ticket, ticketTypeId: ticket.ticketType.id })),
    holdExpiresAt,
    paymentMethod,
    statusReason: statusReason ?? null,
    heldByClient: unpaidHolder?.clientKey ?? null,
    idempotencyKey: idempotencyKey ?? null,
    queueOrdinal: queueOrdinal ?? null,
    now,
  });
  // A group always fits on its own: the cap is on what one client holds across orders.
  const unpaid = unpaidHolder && {
    clientKey: unpaidHolder.clientKey,
    max: Math.max(unpaidHolder.maxUnpaidHolds, tickets.length),
  };
  const transitionReason = statusReason ?? null;
  const options = { checkOffer, evenIfClosed, unpaid, limits, billing, offer, transitionReason, now };
  const refusal = alsoInTransaction
    ? await db
        .$transaction(
          async (tx) => {
            const refused = await placeOrderInOneCall({ tx }, rows, options);
            if (refused) throw new PlacementRefused(refused);
            await alsoInTransaction(tx, { id: rows.order.id, ticketIds: rows.tickets.map((ticket) => ticket.id) });
            return null;
          },
          // At a rush, registrations for one edition queue on its lock: they wait their turn rather than fail.
          { maxWait: 30_000, timeout: 30_000 },
        )
        .catch((error) => {
          if (error instanceof PlacementRefused) return error.refusal;
          throw error;
        })
    : await placeOrderInOneCall({ db }, rows, options);
  if (!refusal) return { ok: true, order: registeredOrder(rows, tickets) };
  if (refusal.reason === "key_used" && idempotencyKey) {
    const first = await orderPlacedWithKey(db, edition.id, idempotencyKey);
    if (first) return { ok: true, order: first, replayed: true };
  }
  if (refusal.reason === "key_used") throw new Error("placeOrder: an order took the idempotency key, then vanished");
  // The tickets' insert did not fit (the seat triggers refused it, the call rolled back).
  if (refusal.reason === "sold_out") {
    const types = tickets.map((ticket) => ticket.ticketType.id);
    return { ok: false, ...(await soldOutRefusal(hotQueries(db), edition.id, types)) };
  }
  return { ok: false, ...refusal };
}

/** The order an edition's client placed with this idempotency key, as placing it answered. */
async function orderPlacedWithKey(db: Db, editionId: string, key: string): Promise<RegisteredOrder | null> {
  const order = await db.order.findUnique({
    where: { editionId_idempotencyKey: { editionId, idempotencyKey: key } },
    select: {
      id: true,
      reference: true,
      accessToken: true,
      status: true,
      amountCents: true,
      currency: true,
      holdExpiresAt: true,
      paymentMethod: true,
      payToken: true,
      locale: true,
      tickets: {
        select: {
          position: true,
          priceCents: true,
          discountCents: true,
          ticketType: { select: { code: true } },
          voucher: { select: { code: true } },
        },
        orderBy: { position: "asc" },
      },
    },
  });
  if (!order) return null;
  const tickets = order.tickets.map(({ voucher, ...ticket }) => ({
    ...ticket,
    ticketType: ticket.ticketType.code,
    code: voucher?.code ?? null,
  }));
  // What it became since (paid, expired, cancelled) is the order page's to tell; this answers as placing did.
  const status = order.status === "CONFIRMED" ? "CONFIRMED" : "PENDING";
  return { ...order, status, tickets };
}

function registeredOrder({ order, tickets }: OrderRows, placed: TicketToPlace[]): RegisteredOrder {
  return {
    id: order.id,
    reference: order.reference,
    accessToken: order.accessToken,
    status: order.status,
    amountCents: order.amountCents,
    currency: order.currency,
    holdExpiresAt: order.holdExpiresAt,
    paymentMethod: order.paymentMethod,
    payToken: order.payToken,
    locale: order.locale,
    tickets: tickets.map((ticket, index) => ({
      position: ticket.position,
      priceCents: ticket.priceCents,
      ticketType: placed[index].ticketType.code,
      discountCents: ticket.discountCents,
      code: placed[index].voucherCode ?? null,
    })),
  };
}

type TicketTypeRow = {
  id: string;
  code: string;
  quota: number | null;
  maxPerOrder: number | null;
  priceCents: number;
  /** Sold to a public buyer only with a code naming it (see checkOrderTickets). */
  hidden: boolean;
};

/** Two tickets of one order for one person: one live seat per attendee email, in an order as across orders. */
function duplicateAttendeeErrors(tickets: { attendee: { email: string } | null }[]): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  tickets.forEach((ticket, index) => {
    if (!ticket.attendee) return;
    if (seen.has(ticket.attendee.email)) errors[`tickets.${index}.attendee.email`] = ["duplicate_attendee_email"];
    seen.add(ticket.attendee.email);
  });
  return errors;
}

/** The organiser's limits on one order: tickets in all, and of each type. */
export function orderSizeErrors(
  edition: { maxTicketsPerOrder: number },
  lines: { ticketType?: { id: string; maxPerOrder: number | null } }[],
): FieldErrors {
  if (lines.length > edition.maxTicketsPerOrder) return { tickets: ["too_many_tickets"] };
  const perType = new Map<string, { limit: number; count: number }>();
  for (const { ticketType } of lines) {
    if (!ticketType) continue;
    const entry = perType.get(ticketType.id) ?? {
      limit: ticketType.maxPerOrder ?? edition.maxTicketsPerOrder,
      count: 0,
    };
    perType.set(ticketType.id, { ...entry, count: entry.count + 1 });
  }
  return [...perType.values()].some((entry) => entry.count > entry.limit) ? { tickets: ["too_many_of_type"] } : {};
}

/** Whether the seats last counted leave room for every ticket asked: if not, how many there are. */
function notEnoughSeats(
  edition: { capacity: number },
  lines: { ticketType: { id: string; quota: number | null } }[],
  usage: SeatUsage,
): Extract<SeatRefusal, { reason: "sold_out" }> | null {
  const left = Math.max(0, edition.capacity - seatsTaken(usage));
  const asked = new Map<string, { type: { id: string; quota: number | null }; count: number }>();
  for (const { ticketType } of lines)
    asked.set(ticketType.id, { type: ticketType, count: (asked.get(ticketType.id)?.count ?? 0) + 1 });
  const leftByTicketType = Object.fromEntries(
    [...asked.values()].map(({ type }) => [type.id, seatsLeft(edition, type, usage)]),
  );
  const short = left < lines.length || [...asked.values()].some(({ type, count }) => leftByTicketType[type.id] < count);
  return short ? { reason: "sold_out", left, leftByTicketType } : null;
}

// Seats a reading must leave beyond an order's own for the order to skip the read (see registerAttendee): what
// other requests and instances may take in the reading's half second, at a rush's pace.
const FAR_FROM_SOLD_OUT = 50;

function farFromSoldOut(
  edition: { capacity: number },
  lines: { ticketType: { id: string; quota: number | null } }[],
  { usage, placedSince }: SeatReading,
): boolean {
  // Seats placed since the reading may be of any type: each type's room is counted short of all of them.
  const needed = (count: number) => count + placedSince + FAR_FROM_SOLD_OUT;
  if (edition.capacity - seatsTaken(usage) < needed(lines.length)) return false;
  const types = new Map(lines.map(({ ticketType }) => [ticketType.id, ticketType]));
  const asked = (typeId: string) => lines.filter((line) => line.ticketType.id === typeId).length;
  return [...types.values()].every((type) => seatsLeft(edition, type, usage) >= needed(asked(type.id)));
}

function isGroupShape(input: unknown): boolean {
  return Boolean(input && typeof input === "object" && "tickets" in input);
}

function answersOf(input: unknown): Record<string, unknown> {
  const answers = (input as { answers?: unknown } | null)?.answers;
  return answers && typeof answers === "object" && !Array.isArray(answers) ? (answers as Record<string, unknown>) : {};
}
