import type { Db } from "@/lib/db/prisma";
import { getSeatUsage, lockEditionSeats, seatsLeft } from "@/lib/capacity/seats";
import { saleState, type SaleState } from "@/lib/editions/sales";
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
  | { ok: false; reason: Exclude<SaleState, "on_sale" | "unavailable"> | "sold_out" | "already_registered" };

export type RegistrationResult = { ok: true; order: RegisteredOrder } | RegistrationRefusal;

export type RegistrationOptions = { now?: Date; holdMinutes: number };

/**
 * Registers one attendee for an edition: validates the request against the edition, then takes
 * the seat in one transaction that locks the edition, re-counts live seats and inserts the order.
 * A free ticket is confirmed at once; a paid one is held (PENDING) until `holdMinutes` from now.
 * Used by the registration form and by the JSON API alike.
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

  const { attendee, locale } = request.data;
  const isFree = ticketType.priceCents === 0;

  return db.$transaction(
    async (tx) => {
      const locked = await lockEditionSeats(tx, edition.id);
      // The organiser may have closed the edition between the read above and the lock.
      if (!locked || locked.status !== "OPEN") return { ok: false, reason: "edition_closed" } as const;

      const alreadyRegistered = await tx.ticket.findFirst({
        select: { id: true },
        where: {
          editionId: edition.id,
          email: attendee.email,
          status: "ACTIVE",
          order: { OR: [{ status: "CONFIRMED" }, { status: "PENDING", holdExpiresAt: { gt: now } }] },
        },
      });
      if (alreadyRegistered) return { ok: false, reason: "already_registered" } as const;

      const usage = await getSeatUsage(tx, edition.id, now);
      if (seatsLeft({ capacity: locked.capacity }, ticketType, usage) < 1) return { ok: false, reason: "sold_out" } as const;

      const order = await tx.order.create({
        data: {
          reference: newOrderReference(),
          accessToken: newAccessToken(),
          editionId: edition.id,
          buyerEmail: attendee.email,
          locale,
          status: isFree ? "CONFIRMED" : "PENDING",
          amountCents: ticketType.priceCents,
          currency: edition.currency,
          holdExpiresAt: isFree ? null : new Date(now.getTime() + holdMinutes * 60_000),
          confirmedAt: isFree ? now : null,
          tickets: {
            create: {
              editionId: edition.id,
              ticketTypeId: ticketType.id,
              firstName: attendee.firstName,
              lastName: attendee.lastName,
              email: attendee.email,
              company: attendee.company,
              answers: answers.data,
              priceCents: ticketType.priceCents,
            },
          },
        },
        select: { id: true, reference: true, accessToken: true, status: true, amountCents: true, currency: true, holdExpiresAt: true, locale: true },
      });
      return { ok: true, order: order as RegisteredOrder } as const;
    },
    // Registrations for one edition queue on its lock; at a rush they wait their turn rather than fail.
    { maxWait: 30_000, timeout: 30_000 },
  );
}

function answersOf(input: unknown): Record<string, unknown> {
  const answers = (input as { answers?: unknown } | null)?.answers;
  return answers && typeof answers === "object" && !Array.isArray(answers) ? (answers as Record<string, unknown>) : {};
}
