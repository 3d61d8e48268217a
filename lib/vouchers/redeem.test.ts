import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { namedTestVoucher } from "@/devtools/testing/vouchers";
import { getEditionOffer } from "@/lib/editions/queries";
import { findCode, offerWithCode, priceTicketsWithCode, type RedeemableVoucher } from "./redeem";

const { db } = await useTestDatabase();
const now = new Date("2027-03-01T10:00:00Z");
const edition = await createEdition(db, {
  capacity: 100,
  ticketTypes: [
    { code: "conference", priceCents: 25000 },
    { code: "student", priceCents: 1999 },
    { code: "sponsor", priceCents: 40000 },
  ],
});
const typeOf = (code: string) => edition.ticketTypes.find((type) => type.code === code)!;
const [conference, student, sponsor] = [typeOf("conference"), typeOf("student"), typeOf("sponsor")];
await db.ticketType.update({ where: { id: sponsor.id }, data: { hidden: true } });

const voucher = (code: string, data: Record<string, unknown> = {}, typeIds: string[] = []) =>
  namedTestVoucher(db, edition.id, code, data, typeIds);

async function found(typed: string) {
  const lookup = await findCode(db, edition.id, typed, now);
  if (!lookup.ok) throw new Error(lookup.reason);
  return lookup.voucher;
}

const community = await voucher("COMMUNITY-20");
const acme = await voucher("ACME-K7QX-M3PA", { effect: "FREE", percentOff: null, maxUsesPerOrder: 2 }, [sponsor.id]);

describe("a typed code, found in its edition", () => {
  it("is found however it was typed: case, spaces, dashes of any kind", async () => {
    expect((await found("acme k7qx–m3pa")).id).toBe(acme.id);
    expect((await found(" community_20 ")).id).toBe(community.id);
    expect(await found("COMMUNITY-20")).toMatchObject({
      code: "COMMUNITY-20",
      pricing: { effect: "PERCENT_OFF", percentOff: 20 },
      ticketTypeIds: [],
    });
  });

  it("says why a code prices nothing: unknown (inactive, another edition's), not yet, expired, used up", async () => {
    const other = await createEdition(db, { capacity: 10 });
    await voucher("SLEEPING-CODE", { active: false });
    await voucher("EARLY-BIRD", { validFrom: new Date("2027-04-01T00:00:00Z") });
    await voucher("LAST-YEAR", { validUntil: now });
    await voucher("ALL-GONE", { maxUses: 2, used: 2 });
    const reasonOf = async (typed: string, editionId = edition.id) => {
      const lookup = await findCode(db, editionId, typed, now);
      return lookup.ok ? "ok" : lookup.reason;
    };
    expect(await reasonOf("NO-SUCH-CODE")).toBe("voucher_unknown");
    expect(await reasonOf("été !")).toBe("voucher_unknown");
    expect(await reasonOf("SLEEPING-CODE")).toBe("voucher_unknown");
    expect(await reasonOf("COMMUNITY-20", other.id)).toBe("voucher_unknown");
    expect(await reasonOf("EARLY-BIRD")).toBe("voucher_not_yet");
    expect(await reasonOf("LAST-YEAR")).toBe("voucher_expired");
    expect(await reasonOf("ALL-GONE")).toBe("voucher_used_up");
  });
});

describe("an order's tickets priced with a code", () => {
  const line = (type: { id: string; priceCents: number }, hidden = false) => ({
    ticketType: { ...type, hidden },
    attendee: null,
  });

  it("prices the tickets of the types it applies to; the others keep their list price", async () => {
    const code = await found("COMMUNITY-20");
    const priced = priceTicketsWithCode(code, [line(conference), line(student), line(sponsor, true)], "EUR");
    expect(
      priced.ok &&
        priced.tickets.map(({ priceCents, discountCents, voucherId }) => [priceCents, discountCents, voucherId]),
    ).toEqual([
      [20000, 5000, code.id],
      // 19,99 € less 20 % is 15,992 €: the price is rounded to the cent, halves up.
      [1599, 400, code.id],
      // Naming no type, a code never applies to a hidden one.
      [40000, undefined, undefined],
    ]);
  });

  it("prices up to its uses per order, in position order", async () => {
    const code = await found("ACME K7QX M3PA");
    const priced = priceTicketsWithCode(
      code,
      [line(sponsor, true), line(conference), line(sponsor, true), line(sponsor, true)],
      "EUR",
    );
    expect(priced.ok && priced.tickets.map((ticket) => [ticket.priceCents, ticket.voucherId ?? null])).toEqual([
      [0, code.id],
      [25000, null],
      [0, code.id],
      [40000, null],
    ]);
  });

  it("leaves a ticket it takes nothing off at its list price, its use kept for one it lowers", async () => {
    const free = { id: "free-type", priceCents: 0 };
    await voucher("COMMUNITY-ONE", { maxUsesPerOrder: 1 });
    const percent = priceTicketsWithCode(
      await found("COMMUNITY-ONE"),
      [line(free), line(free), line(conference)],
      "EUR",
    );
    expect(percent.ok && percent.tickets.map((ticket) => [ticket.priceCents, ticket.voucherId ?? null])).toEqual([
      [0, null],
      [0, null],
      [20000, expect.any(String)],
    ]);
    await voucher("STUDENT-PRICE", { effect: "FIXED_PRICE", percentOff: null, amountCents: 2000, maxUsesPerOrder: 1 });
    const fixed = priceTicketsWithCode(await found("STUDENT-PRICE"), [line(student), line(conference)], "EUR");
    expect(fixed.ok && fixed.tickets.map((ticket) => [ticket.priceCents, ticket.discountCents ?? null])).toEqual([
      [1999, null],
      [2000, 23000],
    ]);
  });

  it("prices a hidden type's ticket it takes nothing off: the code is what gives it", async () => {
    await voucher("SPONSOR-PASS", { effect: "FIXED_PRICE", percentOff: null, amountCents: 50000 }, [sponsor.id]);
    const code = await found("SPONSOR-PASS");
    const priced = priceTicketsWithCode(code, [line(sponsor, true)], "EUR");
    expect(priced.ok && priced.tickets.map((ticket) => [ticket.priceCents, ticket.voucherId])).toEqual([
      [40000, code.id],
    ]);
  });

  it("is refused when it applies to none of the tickets", async () => {
    const code = await found("ACME-K7QX-M3PA");
    expect(priceTicketsWithCode(code, [line(conference), line(student)], "EUR")).toEqual({
      ok: false,
      reason: "voucher_not_for_type",
    });
  });
});

describe("the edition's offer with a code", () => {
  const offered = async (typed: string | null) => {
    const offer = (await getEditionOffer(db, edition.slug, now))!;
    const code: RedeemableVoucher | null = typed === null ? null : await found(typed);
    return offerWithCode(offer, code, "EUR").map((type) => [type.code, type.withCode?.priceCents ?? null]);
  };

  it("lists the hidden types only with a code naming them, each priced with the code where it applies", async () => {
    expect(await offered(null)).toEqual([
      ["conference", null],
      ["student", null],
    ]);
    expect(await offered("COMMUNITY-20")).toEqual([
      ["conference", 20000],
      ["student", 1599],
    ]);
    expect(await offered("ACME-K7QX-M3PA")).toEqual([
      ["conference", null],
      ["student", null],
      ["sponsor", 0],
    ]);
  });
});
