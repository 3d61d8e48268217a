import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import { emailHash } from "@/lib/messages/opt-out";
import { privacyKey } from "./requests";

/**
 * What the back office shows of an address before acting on it: how many rows each table holds under it, and its
 * live tickets (confirmed, editions not ended), which an erasure cancels without refund.
 */
export async function addressOverview(db: Db, emailKey: string, now: Date) {
  const address = { equals: emailKey, mode: "insensitive" as const };
  const [orders, tickets, waitingList, emails, requests, live] = await Promise.all([
    db.order.count({ where: { buyerEmail: address } }),
    db.ticket.count({ where: { email: address } }),
    db.waitingListEntry.count({ where: { emailKey } }),
    db.emailOutbox.count({ where: { toAddress: address } }),
    db.privacyRequest.count({ where: { emailHash: emailHash(emailKey) } }),
    db.ticket.findMany({
      where: {
        status: "ACTIVE",
        order: { status: "CONFIRMED" },
        edition: { endsAt: { gt: now } },
        OR: [{ email: address }, { email: null, order: { buyerEmail: address } }],
      },
      orderBy: [{ edition: { startsAt: "asc" } }, { position: "asc" }],
      select: {
        id: true,
        position: true,
        firstName: true,
        lastName: true,
        ticketType: { select: { nameFr: true, nameEn: true } },
        edition: { select: { slug: true, nameFr: true, nameEn: true } },
        order: { select: { reference: true } },
      },
    }),
  ]);
  return { counts: { orders, tickets, waitingList, emails, requests }, live };
}

export type AddressOverview = Awaited<ReturnType<typeof addressOverview>>;

/**
 * The back office's search by address: nothing asked; a text that is no address (kept, to refill the field, with the
 * field's error code); an address that holds nothing, so there is nothing to download or erase (no row under it and
 * no open request: a closed one keeps only a hash, as after an erasure); or what it holds.
 */
export type AddressSearch =
  | { kind: "none" }
  | { kind: "invalid"; typed: string; error: "invalid_email" }
  | { kind: "nothing"; email: string }
  | { kind: "found"; email: string; overview: AddressOverview };

const searched = z.string().transform(privacyKey).pipe(z.email());

export async function searchAddress(db: Db, typed: string | undefined, now: Date): Promise<AddressSearch> {
  if (typed === undefined || typed.trim() === "") return { kind: "none" };
  const query = searched.safeParse(typed);
  if (!query.success) return { kind: "invalid", typed, error: "invalid_email" };
  const email = query.data;
  const overview = await addressOverview(db, email, now);
  const { requests, ...rows } = overview.counts;
  const held =
    Object.values(rows).some((count) => count > 0) ||
    overview.live.length > 0 ||
    (requests > 0 && (await db.privacyRequest.count({ where: { emailHash: emailHash(email), status: "OPEN" } })) > 0);
  return held ? { kind: "found", email, overview } : { kind: "nothing", email };
}

/** What an erasure did, as the back office reports it once back on the address's search. */
export type ErasedCounts = { tickets: number; orders: number; entries: number; cancelled: number };

const ERASED_PARAM = /^(\d{1,9})\.(\d{1,9})\.(\d{1,9})\.(\d{1,9})$/;

/** The counts as one query parameter, `erased=tickets.orders.entries.cancelled`. */
export const erasedQuery = (counts: ErasedCounts) => ({
  erased: `${counts.tickets}.${counts.orders}.${counts.entries}.${counts.cancelled}`,
});

/** The counts back from the parameter; null for none or anything else. */
export function erasedCountsFrom(param: string | undefined): ErasedCounts | null {
  const match = ERASED_PARAM.exec(param ?? "");
  if (!match) return null;
  const [tickets, orders, entries, cancelled] = match.slice(1).map(Number);
  return { tickets, orders, entries, cancelled };
}
