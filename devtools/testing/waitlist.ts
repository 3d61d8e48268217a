import { randomUUID } from "node:crypto";
import { hotPool, type Db } from "@/lib/db/prisma";
import { orderRows } from "@/lib/orders/place-order-sql";
import { placeOrder } from "@/lib/orders/register";
import { expireLapsedHolds } from "@/lib/payments/expire-holds";
import { testPerson } from "./vouchers";
import { entryEmailKey, newEntryToken } from "@/lib/waitlist/entries";

type Edition = { id: string; ticketTypes: { id: string; code: string }[] };

let entries = 0;

type HoldableEdition = {
  id: string;
  currency: string;
  ticketTypes: { id: string; code: string; priceCents: number }[];
};

/** A public hold of `count` seats of one type (the edition's first unless named), as the public form places it. */
export async function holdSeats(db: Db, edition: HoldableEdition, count = 1, type?: string) {
  const ticketType = type ? edition.ticketTypes.find((candidate) => candidate.code === type)! : edition.ticketTypes[0];
  const placed = await placeOrder(db, {
    edition,
    buyer: testPerson("buyer"),
    tickets: Array.from({ length: count }, (_, i) => ({
      ticketType,
      attendee: testPerson(`a${i}`),
      answers: {},
      priceCents: ticketType.priceCents,
    })),
    locale: "en",
    holdExpiresAt: new Date(Date.now() + 35 * 60_000),
    checkOffer: true,
    now: new Date(),
  });
  if (!placed.ok) throw new Error(JSON.stringify(placed));
  return placed.order;
}

/** Holds run out: their deadline passes; with `release`, the hold sweep releases them and their seats free up. */
export async function lapseHolds(db: Db, orders: { id: string }[], { release = true } = {}) {
  await db.order.updateMany({
    where: { id: { in: orders.map((order) => order.id) } },
    data: { holdExpiresAt: new Date(Date.now() - 1000) },
  });
  if (release) await expireLapsedHolds(db, null);
}

/**
 * An entry at the end of an edition's waiting line, as a join leaves it: one seat of any listed type unless told
 * otherwise. It serves nothing (a join never does: the next freed seat does).
 */
export async function addTestEntry(
  db: Db,
  edition: Edition,
  options: { seats?: number; acceptsFewer?: boolean; types?: string[]; locale?: "fr" | "en"; name?: string } = {},
) {
  entries += 1;
  const name = options.name ?? `Waiting ${entries}`;
  const email = `waiting-${entries}-${process.pid}-${Date.now().toString(36)}@example.org`;
  const codes = options.types ?? edition.ticketTypes.map((type) => type.code);
  return db.waitingListEntry.create({
    data: {
      editionId: edition.id,
      name,
      email,
      emailKey: entryEmailKey(email),
      locale: options.locale ?? "en",
      seatsWanted: options.seats ?? 1,
      acceptsFewer: options.acceptsFewer ?? false,
      token: newEntryToken(),
      ticketTypes: {
        create: codes.map((code) => ({ ticketTypeId: edition.ticketTypes.find((type) => type.code === code)!.id })),
      },
    },
  });
}

/** An entry's state and its open or latest offer, for assertions. */
export async function entryState(db: Db, entryId: string) {
  const entry = await db.waitingListEntry.findUniqueOrThrow({
    where: { id: entryId },
    include: {
      offers: { orderBy: { createdAt: "desc" }, take: 1, include: { ticketType: { select: { code: true } } } },
    },
  });
  const offer = entry.offers[0];
  return {
    status: entry.status,
    passedOver: entry.passedOver,
    offer: offer ? { status: offer.status, seats: offer.seats, type: offer.ticketType.code } : null,
  };
}

/**
 * Places an order with a waiting-list offer straight through guichet_place_order (p.offer), below the registration
 * (registerAttendee's `offer`), for the SQL's own cases (a free offer, GS008 as raised): `count` tickets of
 * `ticketTypeId` at `priceCents` each, confirmed at once when free. Answers the refusal's SQLSTATE and DETAIL
 * instead of throwing.
 */
export async function placeWithOffer(
  db: Db,
  edition: { id: string; currency: string },
  offerId: string,
  { ticketTypeId, priceCents, count = 1 }: { ticketTypeId: string; priceCents: number; count?: number },
): Promise<{ ok: true; orderId: string } | { ok: false; state: string; detail: string }> {
  const now = new Date();
  const person = (n: number) => ({
    firstName: "Offered",
    lastName: `Person ${n}`,
    email: `offered-${n}-${randomUUID()}@example.org`,
    company: null,
  });
  const rows = orderRows({
    editionId: edition.id,
    currency: edition.currency,
    buyer: person(0),
    locale: "en",
    tickets: Array.from({ length: count }, (_, i) => ({
      ticketTypeId,
      attendee: person(i + 1),
      answers: {},
      priceCents,
    })),
    holdExpiresAt: priceCents === 0 ? null : new Date(now.getTime() + 35 * 60_000),
    paymentMethod: "CARD",
    statusReason: null,
    heldByClient: null,
    idempotencyKey: null,
    queueOrdinal: null,
    now,
  });
  const p = {
    ...rows,
    transition: { id: randomUUID(), toStatus: rows.order.status, reason: null, createdAt: now },
    emails: [],
    now,
    offer: { id: offerId },
  };
  try {
    await hotPool(db).query("SELECT guichet_place_order($1::jsonb)", [JSON.stringify(p)]);
    return { ok: true, orderId: rows.order.id };
  } catch (error) {
    const { code, detail } = error as { code?: string; detail?: string };
    if (!code?.startsWith("GS")) throw error;
    return { ok: false, state: code, detail: detail ?? "" };
  }
}
