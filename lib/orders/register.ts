import type { Db, Prisma } from "@/lib/db/prisma";
import { claimSeat, getSeatUsage, seatsLeft, type SeatClaim } from "@/lib/capacity/seats";
import { saleState, type SaleState } from "@/lib/editions/sales";
import { enqueueOrderConfirmation } from "@/lib/email/outbox";
import { newAccessToken, newOrderReference } from "./codes";
import {
  fieldErrorsOf,
  parseAnswers,
  registrationRequestSchema,
  type FieldErrors,
  type Locale,
} from "./registration-request";

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

export type RegistrationRefusal =
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: Exclude<SaleState, "on_sale" | "unavailable"> | Exclude<SeatClaim, "ok"> };

export type RegistrationResult = { ok: true; order: RegisteredOrder } | RegistrationRefusal;

export type RegistrationOptions = { now?: Date; holdMinutes: number };

class SeatRefused extends Error {
  constructor(readonly reason: Exclude<SeatClaim, "ok">) {
    super(reason);
  }
}

/**
 * Registers one attendee for an edition: validates the request against the edition, then inserts
 * the order and claims its seat in one transaction (see claimSeat). A free ticket is confirmed at
 * once; a paid one is held (PENDING) for `holdMinutes`. Used by the registration form and the API.
 */
export async function registerAttendee(
  db: Db,
  editionSlug: string,
  input: unknown,
  { now = new Date(), holdMinutes }: RegistrationOptions,
): Promise<RegistrationResult> {
  const edition = await db.edition.findUnique({
    where: { slug: editionSlug },
    include: { ticketTypes: true, questions: { orderBy: { position: "asc" } } },
  });
  if (!edition || edition.status === "DRAFT") return { ok: false, reason: "not_found" };

  const request = registrationRequestSchema.safeParse(input);
  const fieldErrors: FieldErrors = request.success ? {} : fieldErrorsOf(request.error);
  const answers = parseAnswers(edition.questions, request.success ? request.data.answers : answersOf(input));
  if (!answers.success) Object.assign(fieldErrors, fieldErrorsOf(answers.error, ["answers"]));
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
  if (seatsLeft(edition, ticketType, await getSeatUsage(db, edition.id)) < 1) return { ok: false, reason: "sold_out" };

  const { attendee, locale } = request.data;
  const isFree = ticketType.priceCents === 0;
  const placed = await placeOrder(db, {
    edition,
    ticketType,
    attendee,
    answers: answers.data,
    locale,
    amountCents: ticketType.priceCents,
    holdExpiresAt: isFree ? null : new Date(now.getTime() + holdMinutes * 60_000),
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

export type OrderToPlace = {
  edition: { id: string; currency: string };
  ticketType: { id: string };
  attendee: { firstName: string; lastName: string; email: string; company: string | null };
  answers: object;
  locale: Locale;
  amountCents: number;
  /** null: confirmed at once (free or complimentary); otherwise held, pending payment, until then. */
  holdExpiresAt: Date | null;
  statusReason?: string;
  /** Organisers may add complimentary tickets after registration has closed; capacity still holds. */
  evenIfClosed?: boolean;
  /** More writes that belong to the same transaction, e.g. the back office's audit entry. */
  alsoInTransaction?: (tx: Prisma.TransactionClient, order: { id: string; ticketId: string }) => Promise<void>;
  now: Date;
};

/**
 * Inserts an order with its one ticket and claims its seat in one transaction (see claimSeat):
 * the registration form, the API and the back office's complimentary tickets all come here.
 * A confirmed order queues its confirmation email in the same transaction.
 */
export async function placeOrder(
  db: Db,
  { edition, ticketType, attendee, answers, locale, amountCents, holdExpiresAt, statusReason, evenIfClosed, alsoInTransaction, now }: OrderToPlace,
): Promise<{ ok: true; order: RegisteredOrder } | { ok: false; reason: Exclude<SeatClaim, "ok"> }> {
  const confirmed = holdExpiresAt === null;
  try {
    const order = await db.$transaction(
      async (tx) => {
        const order = await tx.order.create({
          data: {
            reference: newOrderReference(),
            accessToken: newAccessToken(),
            editionId: edition.id,
            buyerEmail: attendee.email,
            locale,
            status: confirmed ? "CONFIRMED" : "PENDING",
            statusReason: statusReason ?? null,
            amountCents,
            currency: edition.currency,
            holdExpiresAt,
            confirmedAt: confirmed ? now : null,
            transitions: { create: { toStatus: confirmed ? "CONFIRMED" : "PENDING", reason: statusReason, createdAt: now } },
            tickets: {
              create: {
                editionId: edition.id,
                ticketTypeId: ticketType.id,
                firstName: attendee.firstName,
                lastName: attendee.lastName,
                email: attendee.email,
                company: attendee.company,
                answers,
                priceCents: amountCents,
              },
            },
          },
          select: { id: true, reference: true, accessToken: true, status: true, amountCents: true, currency: true, holdExpiresAt: true, locale: true, tickets: { select: { id: true } } },
        });
        const claim = await claimSeat(tx, {
          editionId: edition.id,
          ticketTypeId: ticketType.id,
          orderId: order.id,
          email: attendee.email,
          evenIfClosed,
        });
        if (claim !== "ok") throw new SeatRefused(claim);
        if (confirmed) await enqueueOrderConfirmation(tx, order.id);
        await alsoInTransaction?.(tx, { id: order.id, ticketId: order.tickets[0].id });
        const { tickets: _tickets, ...placed } = order;
        return placed as RegisteredOrder;
      },
      // At a rush, registrations for one edition queue on its lock: they wait their turn rather than fail.
      { maxWait: 30_000, timeout: 30_000 },
    );
    return { ok: true, order };
  } catch (error) {
    if (error instanceof SeatRefused) return { ok: false, reason: error.reason };
    throw error;
  }
}

function answersOf(input: unknown): Record<string, unknown> {
  const answers = (input as { answers?: unknown } | null)?.answers;
  return answers && typeof answers === "object" && !Array.isArray(answers) ? (answers as Record<string, unknown>) : {};
}
