import { describe, expect, it } from "vitest";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { namedTestVoucher } from "@/devtools/testing/vouchers";
import { guardRegistration } from "@/lib/abuse/registration-guard";
import { getSeatUsage } from "@/lib/capacity/seats";
import { registerAttendee } from "./register";

const { db } = await useTestDatabase();
const HOLD = { holdMinutes: 30 };

async function paidEdition() {
  const edition = await createEdition(db, {
    capacity: 20,
    ticketTypes: [
      { code: "conference", priceCents: 25000 },
      { code: "sponsor", priceCents: 40000 },
      { code: "volunteer", priceCents: 0 },
    ],
  });
  const typeOf = (code: string) => edition.ticketTypes.find((type) => type.code === code)!;
  await db.ticketType.update({ where: { id: typeOf("sponsor").id }, data: { hidden: true } });
  const voucher = (code: string, data: Record<string, unknown> = {}, typeIds: string[] = []) =>
    namedTestVoucher(db, edition.id, code, data, typeIds);
  return { edition, typeOf, voucher };
}

const seatsTaken = async (editionId: string) => {
  const usage = await getSeatUsage(db, editionId);
  return usage.held + usage.confirmed;
};

describe("registering with a code", () => {
  it("prices the ticket with the code and remembers it: list price = price paid + discount", async () => {
    const { edition, voucher } = await paidEdition();
    const community = await voucher("COMMUNITY-20");
    const result = await registerAttendee(
      db,
      edition.slug,
      attendeeRequest("conference", 1, { code: "community 20" }),
      HOLD,
    );
    expect(result.ok && result.order).toMatchObject({ status: "PENDING", amountCents: 20000 });
    const [ticket] = await db.ticket.findMany({ where: { editionId: edition.id } });
    expect(ticket).toMatchObject({ priceCents: 20000, discountCents: 5000, voucherId: community.id });
    expect((await db.voucher.findUniqueOrThrow({ where: { id: community.id } })).used).toBe(1);
  });

  it("confirms a group its code makes free at once, unpaid; the code unlocks the hidden type it names", async () => {
    const { edition, typeOf, voucher } = await paidEdition();
    await voucher("ACME-K7QX-M3PA", { effect: "FREE", percentOff: null }, [typeOf("sponsor").id]);
    const request = {
      buyer: { firstName: "Grace", lastName: "Hopper", email: "grace@example.org" },
      tickets: [1, 2].map((n) => ({
        ticketType: "sponsor",
        attendee: { firstName: "Ada", lastName: `L ${n}`, email: `ada.${n}@example.org` },
      })),
      code: "ACME-K7QX-M3PA",
      // Nothing to pay: nothing to transfer either.
      paymentMethod: "transfer",
      locale: "fr",
    };
    const result = await registerAttendee(db, edition.slug, request, HOLD);
    expect(result.ok && result.order).toMatchObject({
      status: "CONFIRMED",
      amountCents: 0,
      holdExpiresAt: null,
      paymentMethod: "CARD",
    });
    const tickets = await db.ticket.findMany({ where: { editionId: edition.id } });
    expect(tickets.map((ticket) => [ticket.priceCents, ticket.discountCents])).toEqual([
      [0, 40000],
      [0, 40000],
    ]);
  });

  it("answers each ticket's discount and code, also to a retry: only those it lowers", async () => {
    const { edition, voucher } = await paidEdition();
    await voucher("COMMUNITY-20", { maxUsesPerOrder: 1 });
    const request = {
      buyer: { firstName: "Grace", lastName: "Hopper", email: "grace@example.org" },
      tickets: ["volunteer", "conference", "conference"].map((ticketType, n) => ({
        ticketType,
        attendee: { firstName: "Ada", lastName: `L ${n}`, email: `ada.${n}@example.org` },
      })),
      code: "community 20",
      locale: "en",
    };
    const options = { ...HOLD, idempotencyKey: "retry-me" };
    const expected = [
      { position: 1, ticketType: "volunteer", priceCents: 0, discountCents: 0, code: null },
      { position: 2, ticketType: "conference", priceCents: 20000, discountCents: 5000, code: "COMMUNITY-20" },
      { position: 3, ticketType: "conference", priceCents: 25000, discountCents: 0, code: null },
    ];
    const first = await registerAttendee(db, edition.slug, request, options);
    expect(first.ok && first.order.tickets).toEqual(expected);
    const retry = await registerAttendee(db, edition.slug, request, options);
    expect(retry.ok && retry.replayed && retry.order.tickets).toEqual(expected);
  });

  it("never sells a hidden type without a code naming it", async () => {
    const { edition, voucher } = await paidEdition();
    await voucher("COMMUNITY-20");
    for (const extra of [{}, { code: "COMMUNITY-20" }]) {
      const result = await registerAttendee(db, edition.slug, attendeeRequest("sponsor", 1, extra), HOLD);
      expect(result).toEqual({ ok: false, reason: "invalid", fieldErrors: { ticketType: ["unknown_ticket_type"] } });
    }
    expect(await seatsTaken(edition.id)).toBe(0);
  });

  it("offers a hidden type only as many times as its code prices it in one order", async () => {
    const { edition, typeOf, voucher } = await paidEdition();
    await voucher("ONE-PER-ORDER", { effect: "FREE", percentOff: null, maxUsesPerOrder: 1 }, [typeOf("sponsor").id]);
    const request = {
      buyer: { firstName: "Grace", lastName: "Hopper", email: "grace@example.org" },
      tickets: [1, 2].map((n) => ({
        ticketType: "sponsor",
        attendee: { firstName: "Ada", lastName: `L ${n}`, email: `ada.${n}@example.org` },
      })),
      code: "ONE-PER-ORDER",
    };
    expect(await registerAttendee(db, edition.slug, request, HOLD)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { "tickets.1.ticketType": ["unknown_ticket_type"] },
    });
    expect(await seatsTaken(edition.id)).toBe(0);
  });

  it("says why a code is refused, and holds nothing", async () => {
    const { edition, typeOf, voucher } = await paidEdition();
    await voucher("ALL-GONE", { maxUses: 1, used: 1 });
    await voucher("LAST-YEAR", { validUntil: new Date("2026-01-01T00:00:00Z") });
    await voucher("EARLY-BIRD", { validFrom: new Date("2099-01-01T00:00:00Z") });
    await voucher("SPONSORS-ONLY", {}, [typeOf("sponsor").id]);
    const cases = {
      "NO-SUCH-CODE": "voucher_unknown",
      "ALL-GONE": "voucher_used_up",
      "LAST-YEAR": "voucher_expired",
      "EARLY-BIRD": "voucher_not_yet",
      "SPONSORS-ONLY": "voucher_not_for_type",
    };
    for (const [code, reason] of Object.entries(cases)) {
      const request = attendeeRequest("conference", code, { code });
      expect(await registerAttendee(db, edition.slug, request, HOLD)).toEqual({ ok: false, reason });
    }
    expect(await seatsTaken(edition.id)).toBe(0);
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(0);
  });

  it("makes a wrong code spend one try of the client's limit: codes cannot be tried one after another", async () => {
    const { edition, voucher } = await paidEdition();
    await voucher("COMMUNITY-20");
    const defences = {
      challengeKey: null,
      registrationsPerClientPerHour: 2,
      unpaidHoldsPerClient: 5,
      holderKey: null,
    };
    const register = (n: number, code: string, clientKey = "203.0.113.40") =>
      registerAttendee(db, edition.slug, attendeeRequest("conference", n, { code }), {
        ...HOLD,
        guard: guardRegistration(db, { clientKey, challenge: null }, defences),
      });
    expect(await register(1, "GUESS-AAAA")).toEqual({ ok: false, reason: "voucher_unknown" });
    expect(await register(2, "GUESS-BBBB")).toEqual({ ok: false, reason: "voucher_unknown" });
    // The limit is spent: the next guess, and even the right code, is told to wait.
    expect(await register(3, "GUESS-CCCC")).toEqual({ ok: false, reason: "rate_limited" });
    expect(await register(4, "COMMUNITY-20")).toEqual({ ok: false, reason: "rate_limited" });
    // Another client is not concerned.
    expect(await register(5, "COMMUNITY-20", "203.0.113.41")).toMatchObject({ ok: true });
  });

  it("lets a real code that does not fit be typed again: only a guess spends a try", async () => {
    const { edition, typeOf, voucher } = await paidEdition();
    await voucher("SPONSORS-ONLY", {}, [typeOf("sponsor").id]);
    await voucher("ALL-GONE", { maxUses: 1, used: 1 });
    const defences = { challengeKey: null, registrationsPerClientPerHour: 1, unpaidHoldsPerClient: 5, holderKey: null };
    const register = (n: number, code: string) =>
      registerAttendee(db, edition.slug, attendeeRequest("conference", n, { code }), {
        ...HOLD,
        guard: guardRegistration(db, { clientKey: "203.0.113.50", challenge: null }, defences),
      });
    expect(await register(1, "SPONSORS-ONLY")).toEqual({ ok: false, reason: "voucher_not_for_type" });
    expect(await register(2, "ALL-GONE")).toEqual({ ok: false, reason: "voucher_used_up" });
    expect(await register(3, "SPONSORS-ONLY")).toEqual({ ok: false, reason: "voucher_not_for_type" });
    expect(await register(4, "GUESS-AAAA")).toEqual({ ok: false, reason: "voucher_unknown" });
    // Past the limit, a real code's refusal is no more telling than a guess's.
    expect(await register(5, "ALL-GONE")).toEqual({ ok: false, reason: "rate_limited" });
  });
});
