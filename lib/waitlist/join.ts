import { z } from "zod";
import { getSeatUsage, seatsLeft } from "@/lib/capacity/seats";
import type { Db, Prisma } from "@/lib/db/prisma";
import { enqueueEmail } from "@/lib/email/outbox";
import { emailAddress, fieldErrorsOf, isSafeText, missingOr, requiredLine, type FieldErrors } from "@/lib/forms/fields";
import { saleState } from "@/lib/editions/sales";
import { waitableForList } from "@/lib/editions/waiting-list-open";
import { locales } from "@/lib/i18n/locales";
import { consumeRateLimit, type RateLimit } from "@/lib/rate-limit/consume";
import { entryEmailKey, newEntryToken } from "./entries";

/**
 * What stands between a public caller and the list: the registration's guard (lib/abuse: the challenge, the
 * per-client limit), as lib/orders' RegistrationGuard has it; its limits are spent here, one join each.
 */
export type JoinGuard = {
  admit(
    edition: { id: string },
    now: Date,
  ): Promise<
    | { ok: true; limits: (RateLimit & { refusal: "rate_limited" | "challenge_failed" })[] }
    | { ok: false; reason: "rate_limited" | "challenge_failed" }
  >;
};

export type JoinResult =
  | {
      ok: true;
      /** false: the address's live entry was updated, its place in line kept. */
      created: boolean;
      entryId: string;
      /** Its place in line (WAITING entries ahead, plus one); null once offered. */
      position: number | null;
      seats: number;
      /** false: the confirmation (with the private link) already went out this hour, and is not sent again. */
      emailed: boolean;
    }
  | { ok: false; reason: "invalid"; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" | "waiting_list_closed" | "rate_limited" | "challenge_failed" };

/**
 * `now` is the list's clock (open or closed, the place in line), which an e2e run moves (lib/time/clock.ts);
 * `admittedAt` the wall clock of the guard's challenge and per-client limits, which were issued in real time.
 */
type JoinOptions = { now?: Date; admittedAt?: Date; guard?: JoinGuard };

// Within this of the start nothing is offered any more (guichet_waitlist_offer_hours): nobody joins either.
const CLOSES_BEFORE_START_MS = 2 * 3_600_000;
const UNIQUE_VIOLATION = "P2002";

// A form sends strings, the API numbers and booleans: both are read.
const fromNumber = (value: unknown) => (typeof value === "number" ? String(value) : value);
const fromBoolean = (value: unknown) => (typeof value === "boolean" ? String(value) : value);

/** A join's fields; `seats` up to the edition's order limit, `ticketTypes` by code (checked against the edition). */
export function joinSchema(maxSeats: number) {
  return z.object(
    {
      name: requiredLine(200),
      email: emailAddress,
      locale: z.enum(locales, { error: "invalid_choice" }).default("fr"),
      seats: z.preprocess(
        fromNumber,
        z
          .string({ error: missingOr("invalid_number") })
          .trim()
          .regex(/^\d+$/, { error: "invalid_number" })
          .transform(Number)
          .pipe(z.number().int().min(1, { error: "seats_range" }).max(maxSeats, { error: "seats_range" })),
      ),
      acceptsFewer: z.preprocess(
        fromBoolean,
        z
          .enum(["on", "true", "false", ""], { error: "invalid_type" })
          .optional()
          .transform((value) => value === "on" || value === "true"),
      ),
      ticketTypes: z
        .array(z.string({ error: "invalid_type" }), { error: missingOr("invalid_type") })
        .min(1, { error: "choose_ticket_type" }),
    },
    { error: missingOr("invalid_type") },
  );
}

/**
 * Joins an edition's waiting list (docs/waiting-list.md, "Join"): open while the organiser keeps it open, the edition
 * is OPEN, more than 2 h before the start, and at least one asked type has fewer seats left for the public than the
 * entry needs. Admitted as a registration is (`guard`). A live entry of the same address is updated and keeps its
 * place (once it has an offer out, only its name and language change); its owner is sent the confirmation again, at
 * most once an hour. No edition lock and no offer: the next freed seat serves the list.
 */
export async function joinWaitingList(
  db: Db,
  slug: string,
  input: unknown,
  { now = new Date(), admittedAt = new Date(), guard }: JoinOptions,
): Promise<JoinResult> {
  if (typeof slug !== "string" || !isSafeText(slug)) return { ok: false, reason: "not_found" };
  const edition = await db.edition.findUnique({
    where: { slug },
    include: { ticketTypes: { orderBy: { position: "asc" } } },
  });
  if (!edition || edition.status === "DRAFT") return { ok: false, reason: "not_found" };
  const parsed = joinSchema(edition.maxTicketsPerOrder).safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const request = parsed.data;
  // Listed types on sale only: a hidden one is sold with a code, and one whose sale ended is never offered. The type's
  // own window here; a closed edition is the list being closed, answered below.
  const onSale = (type: (typeof edition.ticketTypes)[number]) =>
    waitableForList({ saleState: saleState({ status: "OPEN" }, type, now) });
  const listed = (code: string) =>
    edition.ticketTypes.find((type) => type.code === code && !type.hidden && onSale(type));
  const unknown = request.ticketTypes.flatMap((code, index) => (listed(code) ? [] : [index]));
  if (unknown.length > 0) {
    return {
      ok: false,
      reason: "invalid",
      fieldErrors: Object.fromEntries(unknown.map((index) => [`ticketTypes.${index}`, ["unknown_ticket_type"]])),
    };
  }
  // An offer is bought in one order: a group beyond a type's limit per order could never use an offer of it.
  const beyondLimit = request.ticketTypes.flatMap((code, index) => {
    const limit = listed(code)?.maxPerOrder ?? edition.maxTicketsPerOrder;
    return request.seats > limit ? [index] : [];
  });
  if (beyondLimit.length > 0) {
    return {
      ok: false,
      reason: "invalid",
      fieldErrors: Object.fromEntries(beyondLimit.map((index) => [`ticketTypes.${index}`, ["type_order_limit"]])),
    };
  }
  const types = edition.ticketTypes.filter((type) => request.ticketTypes.includes(type.code));

  const need = request.acceptsFewer ? 1 : request.seats;
  const usage = await getSeatUsage(db, edition.id, now);
  const short = types.some((type) => seatsLeft(edition, type, usage) < need);
  const open =
    edition.waitingListOpen &&
    edition.status === "OPEN" &&
    edition.startsAt.getTime() - now.getTime() > CLOSES_BEFORE_START_MS;
  if (!open || !short) return { ok: false, reason: "waiting_list_closed" };

  const admission = guard ? await guard.admit(edition, admittedAt) : { ok: true as const, limits: [] };
  if (!admission.ok) return admission;
  for (const limit of admission.limits) {
    if (!(await consumeRateLimit(db, limit.key, { ...limit, now: admittedAt }))) {
      return { ok: false, reason: limit.refusal };
    }
  }

  const entry = { ...request, emailKey: entryEmailKey(request.email), typeIds: types.map((type) => type.id) };
  const join = () => db.$transaction((tx) => joinIn(tx, edition.id, entry, now));
  // Two joins of one address at once: the second finds the first's entry on its retry, and updates it.
  return join().catch((error) => {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) return join();
    throw error;
  });
}

type JoinRequest = {
  name: string;
  email: string;
  emailKey: string;
  locale: "fr" | "en";
  seats: number;
  acceptsFewer: boolean;
  typeIds: string[];
};

async function joinIn(tx: Prisma.TransactionClient, editionId: string, request: JoinRequest, now: Date) {
  const [live] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "WaitingListEntry"
     WHERE "editionId" = ${editionId}::uuid AND "emailKey" = ${request.emailKey} AND status IN ('WAITING', 'OFFERED')
       FOR UPDATE`;
  const { name, email, locale, seats, acceptsFewer, typeIds } = request;
  let entryId: string;
  if (!live) {
    const created = await tx.waitingListEntry.create({
      data: {
        editionId,
        name,
        email,
        emailKey: request.emailKey,
        locale,
        seatsWanted: seats,
        acceptsFewer,
        token: newEntryToken(),
        joinedAt: now,
        ticketTypes: { create: typeIds.map((ticketTypeId) => ({ ticketTypeId })) },
      },
    });
    entryId = created.id;
  } else {
    entryId = live.id;
    // An offer out (or seats being gathered) was made for what the entry asked: only who and in which language
    // change under it.
    const offerOut = await tx.waitingListOffer.count({
      where: { entryId, status: { in: ["GATHERING", "OFFERED"] } },
    });
    if (offerOut > 0) {
      await tx.waitingListEntry.update({ where: { id: entryId }, data: { name, locale } });
    } else {
      await tx.waitingListEntry.update({
        where: { id: entryId },
        data: {
          name,
          locale,
          seatsWanted: seats,
          acceptsFewer,
          ticketTypes: { deleteMany: {}, create: typeIds.map((ticketTypeId) => ({ ticketTypeId })) },
        },
      });
    }
  }
  const saved = await tx.waitingListEntry.findUniqueOrThrow({ where: { id: entryId } });
  const hour = Math.floor(now.getTime() / 3_600_000);
  const emailed = await enqueueEmail(tx, {
    dedupeKey: `waitlist_joined:${entryId}:${hour}`,
    kind: "waitlist_joined",
    toAddress: saved.email,
    locale: saved.locale,
    payload: { entryId },
  });
  const ahead =
    saved.status === "WAITING"
      ? await tx.waitingListEntry.count({
          where: { editionId, status: "WAITING", position: { lt: saved.position } },
        })
      : null;
  return {
    ok: true as const,
    created: !live,
    entryId,
    position: ahead === null ? null : ahead + 1,
    seats: saved.seatsWanted,
    emailed,
  };
}

/** What "Join again" did: the join's answer, with the private link's token of the entry now live. */
export type JoinAgainResult =
  (Extract<JoinResult, { ok: true }> & { token: string }) | Exclude<JoinResult, { ok: true }>;

/**
 * "Join again" from a LAPSED or DECLINED entry's page (docs/waiting-list.md): a join with that entry's answers (name,
 * address, language, seats, fewer, the types it accepted that are still listed), through the join's rules and
 * admission, so it is a new entry at the end of the line, or the address's live entry if it has one already (a second
 * click). Any other entry, or an unknown token, is `not_found`; no listed type left is `waiting_list_closed`.
 */
export async function joinAgain(
  db: Db,
  token: string,
  { now = new Date(), admittedAt = new Date(), guard }: JoinOptions,
): Promise<JoinAgainResult> {
  if (typeof token !== "string" || !isSafeText(token)) return { ok: false, reason: "not_found" };
  const closed = await db.waitingListEntry.findUnique({
    where: { token },
    include: {
      edition: { select: { slug: true } },
      ticketTypes: { select: { ticketType: { select: { code: true, position: true, active: true, hidden: true } } } },
    },
  });
  if (!closed || (closed.status !== "LAPSED" && closed.status !== "DECLINED")) {
    return { ok: false, reason: "not_found" };
  }
  const codes = closed.ticketTypes
    .map(({ ticketType }) => ticketType)
    .filter((type) => type.active && !type.hidden)
    .sort((a, b) => a.position - b.position)
    .map((type) => type.code);
  if (codes.length === 0) return { ok: false, reason: "waiting_list_closed" };
  const input = {
    name: closed.name,
    email: closed.email,
    locale: closed.locale,
    seats: closed.seatsWanted,
    acceptsFewer: closed.acceptsFewer,
    ticketTypes: codes,
  };
  const joined = await joinWaitingList(db, closed.edition.slug, input, { now, admittedAt, guard });
  if (!joined.ok) return joined;
  const live = await db.waitingListEntry.findUniqueOrThrow({ where: { id: joined.entryId }, select: { token: true } });
  return { ...joined, token: live.token };
}
