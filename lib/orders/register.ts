import type { Db, Prisma } from "@/lib/db/prisma";
import { claimSeats, getSeatUsage, holdRunningSql, seatsLeft, type SeatRefusal } from "@/lib/capacity/seats";
import { saleState, type SaleState } from "@/lib/editions/sales";
import { enqueueOrderConfirmation } from "@/lib/email/outbox";
import { parseAnswers } from "@/lib/editions/answers";
import { fieldErrorsOfEach, isSafeText, type FieldErrors } from "@/lib/forms/fields";
import { newAccessToken, newOrderReference } from "./codes";
import { registrationRequestSchema, type Locale } from "./registration-request";

export type RegisteredOrder = {
  id: string;
  reference: string;
  accessToken: string;
  status: "PENDING" | "CONFIRMED";
  amountCents: number;
  currency: string;
  holdExpiresAt: Date | null;
  locale: Locale;
};

/** Why an order was not placed: the claim's refusal, or the holder already has too many unpaid seats. */
export type PlacementRefusal = SeatRefusal | { reason: "too_many_unpaid_holds" };

/** A public caller kept out before a seat is taken (see lib/abuse/registration-guard.ts). */
export type GuardRefusal = "rate_limited" | "challenge_failed";

export type RegistrationRefusal =
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" }
  | ({ ok: false } & PlacementRefusal)
  | { ok: false; reason: Exclude<SaleState, "on_sale" | "unavailable"> | GuardRefusal };

export type RegistrationResult = { ok: true; order: RegisteredOrder } | RegistrationRefusal;

/**
 * What stands between a public caller and a seat. `admit` runs once the request is valid and the
 * ticket on sale, so a typo or a sold-out answer costs neither a rate-limit slot nor a challenge.
 * An admitted caller may come with who holds the seat while it is unpaid (see UnpaidHolder).
 */
export type RegistrationGuard = {
  admit(edition: { id: string }, now: Date): Promise<Admission>;
};

export type Admission = { ok: true; holder: UnpaidHolder | null } | { ok: false; reason: GuardRefusal };

/** A client holding unpaid seats, by a pseudonym, and how many it may hold at once in an edition. */
export type UnpaidHolder = { clientKey: string; maxUnpaidHolds: number };

export type RegistrationOptions = { now?: Date; holdMinutes: number; guard?: RegistrationGuard };

class PlacementRefused extends Error {
  constructor(readonly refusal: PlacementRefusal) {
    super(refusal.reason);
  }
}

/**
 * Registers one attendee for an edition: validates the request against the edition, then inserts
 * the order and claims its seat in one transaction (see claimSeats). A free ticket is confirmed at
 * once; a paid one is held (PENDING) for `holdMinutes`. Used by the registration form and the API.
 */
export async function registerAttendee(
  db: Db,
  editionSlug: string,
  input: unknown,
  { now = new Date(), holdMinutes, guard }: RegistrationOptions,
): Promise<RegistrationResult> {
  if (typeof editionSlug !== "string" || !isSafeText(editionSlug)) return { ok: false, reason: "not_found" };
  const edition = await db.edition.findUnique({
    where: { slug: editionSlug },
    include: { ticketTypes: true, questions: { orderBy: { position: "asc" } } },
  });
  if (!edition || edition.status === "DRAFT") return { ok: false, reason: "not_found" };

  const request = registrationRequestSchema.safeParse(input);
  const answers = parseAnswers(edition.questions, request.success ? request.data.answers : answersOf(input));
  const fieldErrors = fieldErrorsOfEach([request], [answers, ["answers"]]);
  const ticketType = request.success ? edition.ticketTypes.find((type) => type.code === request.data.ticketType) : undefined;
  if (request.success && (!ticketType || saleState(edition, ticketType, now) === "unavailable")) {
    fieldErrors.ticketType = ["unknown_ticket_type"];
  }
  if (!request.success || !answers.success || !ticketType || Object.keys(fieldErrors).length > 0) {
    return { ok: false, reason: "invalid", fieldErrors };
  }

  const state = saleState(edition, ticketType, now);
  if (state !== "on_sale") return { ok: false, reason: state as Exclude<SaleState, "on_sale" | "unavailable"> };

  // Once sold out, the rush's latecomers are answered from one read, without taking the lock;
  // the claim below stays the only thing that grants a seat.
  const left = seatsLeft(edition, ticketType, await getSeatUsage(db, edition.id));
  if (left < 1) return { ok: false, reason: "sold_out", left, leftByTicketType: { [ticketType.id]: left } };
  const admission = guard ? await guard.admit(edition, now) : { ok: true as const, holder: null };
  if (!admission.ok) return admission;

  const { attendee, locale } = request.data;
  const isFree = ticketType.priceCents === 0;
  const placed = await placeOrder(db, {
    edition,
    buyer: attendee,
    tickets: [{ ticketType, attendee, answers: answers.data, priceCents: ticketType.priceCents }],
    locale,
    holdExpiresAt: isFree ? null : new Date(now.getTime() + holdMinutes * 60_000),
    unpaidHolder: admission.holder ?? undefined,
    now,
  }).catch((error) => {
    // The organiser deleted the ticket type while this registration was on its way.
    if ((error as { code?: string }).code === "P2003") return { ok: false, reason: "gone" } as const;
    throw error;
  });
  if (!placed.ok && placed.reason === "gone") {
    return { ok: false, reason: "invalid", fieldErrors: { ticketType: ["unknown_ticket_type"] } };
  }
  return placed.ok ? { ok: true, order: placed.order } : placed;
}

export type AttendeeDetails = { firstName: string; lastName: string; email: string; company: string | null };

export type TicketToPlace = {
  ticketType: { id: string };
  attendee: AttendeeDetails;
  answers: object;
  /** What this ticket costs in this order: its type's price, or 0 when complimentary. */
  priceCents: number;
};

export type OrderToPlace = {
  edition: { id: string; currency: string };
  buyer: AttendeeDetails;
  /** At least one; their positions in the order follow this order. */
  tickets: TicketToPlace[];
  locale: Locale;
  /** null: confirmed at once (free or complimentary); otherwise held, pending payment, until then. */
  holdExpiresAt: Date | null;
  statusReason?: string;
  /** Organisers may add complimentary tickets after registration has closed; capacity still holds. */
  evenIfClosed?: boolean;
  /** A public caller's unpaid seats are capped per edition (checked under the edition lock). */
  unpaidHolder?: UnpaidHolder;
  /** More writes that belong to the same transaction, e.g. the back office's audit entry. */
  alsoInTransaction?: (tx: Prisma.TransactionClient, order: { id: string; ticketIds: string[] }) => Promise<void>;
  now: Date;
};

type Placement<Refusal> = { ok: true; order: RegisteredOrder } | ({ ok: false } & Refusal);

/**
 * Inserts an order with its tickets and claims all their seats in one transaction (see
 * claimSeats): all or nothing. The registration form, the API and the back office's complimentary
 * tickets all come here. A confirmed order queues its confirmation email in the same transaction.
 */
export function placeOrder(db: Db, order: OrderToPlace & { unpaidHolder?: undefined }): Promise<Placement<SeatRefusal>>;
export function placeOrder(db: Db, order: OrderToPlace): Promise<Placement<PlacementRefusal>>;
export async function placeOrder(
  db: Db,
  { edition, buyer, tickets, locale, holdExpiresAt, statusReason, evenIfClosed, unpaidHolder, alsoInTransaction, now }: OrderToPlace,
): Promise<Placement<PlacementRefusal>> {
  if (tickets.length === 0) throw new Error("placeOrder: an order holds at least one ticket");
  const confirmed = holdExpiresAt === null;
  try {
    const order = await db.$transaction(
      async (tx) => {
        const order = await tx.order.create({
          data: {
            reference: newOrderReference(),
            accessToken: newAccessToken(),
            editionId: edition.id,
            buyerFirstName: buyer.firstName,
            buyerLastName: buyer.lastName,
            buyerEmail: buyer.email,
            buyerCompany: buyer.company,
            locale,
            status: confirmed ? "CONFIRMED" : "PENDING",
            statusReason: statusReason ?? null,
            amountCents: tickets.reduce((sum, ticket) => sum + ticket.priceCents, 0),
            currency: edition.currency,
            holdExpiresAt,
            heldByClient: confirmed || !unpaidHolder ? null : unpaidHolder.clientKey,
            confirmedAt: confirmed ? now : null,
            transitions: { create: { toStatus: confirmed ? "CONFIRMED" : "PENDING", reason: statusReason, createdAt: now } },
            tickets: {
              create: tickets.map((ticket, index) => ({
                position: index + 1,
                editionId: edition.id,
                ticketTypeId: ticket.ticketType.id,
                firstName: ticket.attendee.firstName,
                lastName: ticket.attendee.lastName,
                email: ticket.attendee.email,
                company: ticket.attendee.company,
                answers: ticket.answers,
                priceCents: ticket.priceCents,
              })),
            },
          },
          select: {
            id: true,
            reference: true,
            accessToken: true,
            status: true,
            amountCents: true,
            currency: true,
            holdExpiresAt: true,
            locale: true,
            tickets: { select: { id: true }, orderBy: { position: "asc" } },
          },
        });
        const claim = await claimSeats(tx, { editionId: edition.id, orderId: order.id, evenIfClosed });
        if (!claim.ok) throw new PlacementRefused(claim);
        // Under the edition lock claimSeats took, so one client's parallel requests are counted one by one.
        // A group always fits on its own: the cap is on what one client holds across orders.
        const held = !confirmed && unpaidHolder ? await unpaidSeatsOf(tx, edition.id, unpaidHolder.clientKey) : 0;
        if (unpaidHolder && held > Math.max(unpaidHolder.maxUnpaidHolds, tickets.length)) {
          throw new PlacementRefused({ reason: "too_many_unpaid_holds" });
        }
        if (confirmed) await enqueueOrderConfirmation(tx, order.id);
        await alsoInTransaction?.(tx, { id: order.id, ticketIds: order.tickets.map((ticket) => ticket.id) });
        const { tickets: _tickets, ...placed } = order;
        return placed as RegisteredOrder;
      },
      // At a rush, registrations for one edition queue on its lock: they wait their turn rather than fail.
      { maxWait: 30_000, timeout: 30_000 },
    );
    return { ok: true, order };
  } catch (error) {
    if (error instanceof PlacementRefused) return { ok: false, ...error.refusal };
    throw error;
  }
}

// Seats, not orders, so that held groups count for what they pin; on the database's clock, as every hold
// decision (lib/capacity/seats.ts).
async function unpaidSeatsOf(tx: Prisma.TransactionClient, editionId: string, clientKey: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM "Order" o JOIN "Ticket" t ON t."orderId" = o.id
    WHERE o."editionId" = ${editionId}::uuid AND o."heldByClient" = ${clientKey} AND o.status = 'PENDING'
      AND ${holdRunningSql(undefined, "o")} AND t.status = 'ACTIVE'`;
  return Number(row.count);
}

function answersOf(input: unknown): Record<string, unknown> {
  const answers = (input as { answers?: unknown } | null)?.answers;
  return answers && typeof answers === "object" && !Array.isArray(answers) ? (answers as Record<string, unknown>) : {};
}
