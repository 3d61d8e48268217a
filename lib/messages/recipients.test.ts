import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { namedTestVoucher } from "@/devtools/testing/vouchers";
import { addTestEntry } from "@/devtools/testing/waitlist";
import { parseAttendeeFilter, streamAttendees, type AttendeeRow } from "@/lib/attendees/query";
import { registerAttendee } from "@/lib/orders/register";
import { emailHash } from "./opt-out";
import { previewRecipients, recipientRowsSql, type MessageAudience, type RecipientRow } from "./recipients";

const { db } = await useTestDatabase();
const now = new Date();

const person = (tag: string, email = `${tag}.${randomUUID().slice(0, 8)}@example.org`) => ({
  firstName: tag,
  lastName: "Lovelace",
  email,
  company: null,
});

/** An edition with every case the list tells apart, as registrations leave them. */
async function crowd() {
  const edition = await createEdition(db, {
    capacity: 50,
    ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }, { code: "student" }],
    questions: [
      {
        key: "diet",
        type: "SELECT",
        options: ["veg", "any"].map((value) => ({ value, labelFr: value, labelEn: value })),
      },
      { key: "dinner", type: "CHECKBOX" },
    ],
  });
  const sponsor = await namedTestVoucher(db, edition.id, "SPONSOR-2345", {
    tag: "sponsor",
    effect: "FREE",
    percentOff: null,
  });
  await namedTestVoucher(db, edition.id, "SPEAK-2345", { tag: "speakers", effect: "FREE", percentOff: null });
  const place = async (request: Record<string, unknown>) => {
    const result = await registerAttendee(db, edition.slug, request, { holdMinutes: 35 });
    if (!result.ok) throw new Error(JSON.stringify(result));
    return result.order;
  };
  const solo = (tag: string, extra: Record<string, unknown> = {}, type = "free") =>
    place({ ticketType: type, attendee: person(tag), locale: "en", ...extra });

  await solo("veg", { answers: { diet: "veg", dinner: true }, locale: "fr" });
  await solo("any", { answers: { diet: "any" } });
  const came = await solo("came", { locale: "fr" });
  await db.ticket.updateMany({ where: { orderId: came.id }, data: { checkedInAt: now } });
  await solo("held", {}, "paid");
  const lapsed = await solo("lapsed", {}, "paid");
  await db.order.update({ where: { id: lapsed.id }, data: { status: "EXPIRED", holdExpiresAt: null } });
  const abandoned = await solo("abandoned", {}, "paid");
  await db.order.update({
    where: { id: abandoned.id },
    data: { status: "CANCELLED", statusReason: "checkout_cancelled", holdExpiresAt: null },
  });
  const cancelled = await solo("cancelled");
  await db.order.update({ where: { id: cancelled.id }, data: { status: "CANCELLED", statusReason: "organiser" } });
  const refunded = await solo("refunded");
  await db.ticket.updateMany({ where: { orderId: refunded.id }, data: { status: "REFUNDED" } });
  await solo("sponsored", { code: sponsor.code }, "paid");
  // A team's buyer: one named colleague, two tickets still unnamed (their emails go to the buyer), then a second
  // order of their own, in a different case.
  const buyer = person("buyer", `Team.Buyer.${randomUUID().slice(0, 6)}@Example.org`);
  await place({
    buyer,
    locale: "fr",
    tickets: [
      { ticketType: "free", attendee: person("colleague") },
      { ticketType: "free", attendee: null },
      { ticketType: "student", attendee: null },
    ],
  });
  await solo("again", { attendee: { ...person("again"), email: ` ${buyer.email.toLowerCase()}` } });
  return edition;
}

async function recipients(
  editionId: string,
  audience: MessageAudience,
  filter: Record<string, string>,
  essential = false,
) {
  return db.$queryRaw<RecipientRow[]>`SELECT r."emailKey", r."toAddress", r."firstName", r.locale::text AS locale,
      r."ticketId"::text AS "ticketId", r."orderId"::text AS "orderId", r."entryId"::text AS "entryId",
      r.skipped::text AS skipped
    FROM (${recipientRowsSql({ editionId, audience, filter, essential }, now)}) r ORDER BY r."emailKey"`;
}

async function listed(editionId: string, filter: Record<string, string>): Promise<AttendeeRow[]> {
  const rows: AttendeeRow[] = [];
  for await (const row of streamAttendees(db, editionId, parseAttendeeFilter(filter), { now })) rows.push(row);
  return rows;
}

const keyOf = (address: string) => address.trim().toLowerCase();

/** The list's rows, one per address (the unnamed ticket's is its buyer's), the earliest ticket's. */
function firstPerAddress(rows: AttendeeRow[]) {
  const first = new Map<string, AttendeeRow>();
  const sorted = [...rows].sort((a, b) => +a.createdAt - +b.createdAt || a.id.localeCompare(b.id));
  for (const row of sorted) {
    const key = keyOf(row.email ?? row.order.buyerEmail);
    if (!first.has(key)) first.set(key, row);
  }
  return first;
}

const FILTERS: Record<string, string>[] = [
  {},
  { status: "confirmed" },
  { status: "pending" },
  { status: "cancelled" },
  { status: "refunded" },
  { status: "expired" },
  { abandoned: "show" },
  { ticketType: "free" },
  { ticketType: "paid" },
  { ticketType: "student", status: "confirmed" },
  { checkedIn: "yes" },
  { checkedIn: "no", status: "confirmed" },
  { named: "no" },
  { named: "yes", status: "confirmed" },
  { answer: "diet=veg" },
  { answer: "dinner=true" },
  { answer: "dinner=false", status: "confirmed" },
  { voucherTag: "sponsor" },
  { voucherTag: "speakers" },
  { status: "confirmed", checkedIn: "yes", named: "yes" },
];

describe("a message's recipients are the attendee list's rows", () => {
  it("for each of 20 filters: one per address (earliest ticket), unnamed tickets to their buyer", async () => {
    const edition = await crowd();
    for (const filter of FILTERS) {
      const rows = await listed(edition.id, filter);
      const expected = firstPerAddress(rows);
      const got = await recipients(edition.id, "ATTENDEES", filter);
      expect(new Set(got.map((row) => row.emailKey)).size, JSON.stringify(filter)).toBe(got.length);
      expect(
        got.map((row) => [row.emailKey, row.ticketId]),
        JSON.stringify(filter),
      ).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, row]) => [key, row.id]));
      for (const recipient of got) {
        const row = expected.get(recipient.emailKey)!;
        expect(recipient).toMatchObject({
          toAddress: row.email ?? row.order.buyerEmail,
          firstName: row.firstName ?? row.order.buyerFirstName,
          locale: row.order.locale,
          orderId: row.order.id,
          entryId: null,
          skipped: null,
        });
      }
      // Buyers: the distinct buyers of the same rows.
      const buyers = await recipients(edition.id, "BUYERS", filter);
      expect(
        buyers.map((row) => row.emailKey),
        JSON.stringify(filter),
      ).toEqual([...new Set(rows.map((row) => keyOf(row.order.buyerEmail)))].sort());
    }
    // The filters are not all empty or all full: the table tells the cases apart.
    const sizes = await Promise.all(FILTERS.map(async (filter) => (await listed(edition.id, filter)).length));
    expect(new Set(sizes).size).toBeGreaterThan(5);
  });

  it("gives an attendee's own language when they chose one, else their order's", async () => {
    const edition = await crowd();
    const colleague = await db.ticket.findFirstOrThrow({ where: { editionId: edition.id, firstName: "colleague" } });
    expect((await recipients(edition.id, "ATTENDEES", {})).find((row) => row.ticketId === colleague.id)?.locale).toBe(
      "fr",
    );
    await db.ticket.update({ where: { id: colleague.id }, data: { locale: "en" } });
    expect((await recipients(edition.id, "ATTENDEES", {})).find((row) => row.ticketId === colleague.id)?.locale).toBe(
      "en",
    );
  });

  it("reaches the waiting list's live entries, by the type they accept", async () => {
    const edition = await createEdition(db, { capacity: 5, ticketTypes: [{ code: "free" }, { code: "student" }] });
    const any = await addTestEntry(db, edition, { locale: "fr", name: "Grace Hopper" });
    const student = await addTestEntry(db, edition, { types: ["student"] });
    const left = await addTestEntry(db, edition);
    await db.waitingListEntry.update({ where: { id: left.id }, data: { status: "REMOVED", removedBy: "self" } });

    const all = await recipients(edition.id, "WAITING_LIST", {});
    expect(all.map((row) => row.entryId).sort()).toEqual([any.id, student.id].sort());
    expect(all.find((row) => row.entryId === any.id)).toMatchObject({
      firstName: "Grace Hopper",
      locale: "fr",
      toAddress: any.email,
      ticketId: null,
      orderId: null,
    });
    expect((await recipients(edition.id, "WAITING_LIST", { ticketType: "free" })).map((row) => row.entryId)).toEqual([
      any.id,
    ]);
  });

  it("keeps an opted-out address, skipped, unless the message is essential; the preview counts them", async () => {
    const edition = await crowd();
    const [first] = await recipients(edition.id, "ATTENDEES", { status: "confirmed" });
    await db.emailOptOut.create({ data: { emailHash: emailHash(first.emailKey), via: "page" } });

    const optional = await recipients(edition.id, "ATTENDEES", { status: "confirmed" });
    expect(optional.filter((row) => row.skipped).map((row) => row.emailKey)).toEqual([first.emailKey]);
    const essential = await recipients(edition.id, "ATTENDEES", { status: "confirmed" }, true);
    expect(essential.filter((row) => row.skipped)).toEqual([]);

    const source = { editionId: edition.id, audience: "ATTENDEES" as const, filter: { status: "confirmed" } };
    const preview = await previewRecipients(db, { ...source, essential: false }, now);
    const fr = optional.filter((row) => !row.skipped && row.locale === "fr").length;
    expect(preview).toMatchObject({
      total: optional.length,
      optedOut: 1,
      byLocale: { fr, en: optional.length - 1 - fr },
    });
    expect(preview.rows).toEqual(optional.slice(0, 20));
    expect((await previewRecipients(db, { ...source, essential: true }, now)).optedOut).toBe(0);
  });
});
