import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { waitForLockWaiters } from "@/devtools/testing/row-locks";
import { createVouchers, setVoucherActive, updateVoucher } from "./voucher";

const { db } = await useTestDatabase();
const organiser = await createOrganiser(db);
const edition = await createEdition(db, {
  capacity: 100,
  ticketTypes: [{ code: "conference", priceCents: 25000 }, { code: "volunteer" }],
});
const [conference, volunteer] = edition.ticketTypes;

const form = (overrides: Record<string, unknown> = {}) => ({
  code: "FORM-CASE",
  effect: "PERCENT_OFF",
  percentOff: "20",
  maxUses: "10",
  active: "on",
  ...overrides,
});

async function errorsOf(input: object) {
  const result = await createVouchers(db, organiser, edition.id, input);
  if (result.ok || result.reason !== "invalid") throw new Error(`not refused as invalid: ${JSON.stringify(result)}`);
  return result.fieldErrors;
}

// Where the back office's FieldErrors finds a code's sentence (components/field-errors.tsx).
const sentence = (catalogue: typeof en, code: string) =>
  [catalogue.vouchers.fieldError, catalogue.fieldError, catalogue.refunds.fieldError]
    .map((words) => (words as Record<string, string>)[code])
    .find(Boolean);

describe("the organiser's voucher form", () => {
  it("says per field what is wrong, each in French and English", async () => {
    const cases: [object, Record<string, string[]>][] = [
      [form({ code: "été 2027" }), { code: ["invalid_voucher_code"] }],
      [form({ code: "abc" }), { code: ["voucher_code_length"] }],
      [form({ code: "A".repeat(41) }), { code: ["voucher_code_length"] }],
      [form({ code: "A-".repeat(25) }), { code: ["voucher_code_length"] }],
      [form({ percentOff: 20 }), { percentOff: ["invalid_type"] }],
      [form({ prefix: "A-VERY-LONG-PREFIX" }), { prefix: ["voucher_code_length"] }],
      [form({ percentOff: "0" }), { percentOff: ["percent_range"] }],
      [form({ percentOff: "101" }), { percentOff: ["percent_range"] }],
      [form({ percentOff: "12.5" }), { percentOff: ["percent_range"] }],
      [form({ percentOff: "" }), { percentOff: ["required"] }],
      [form({ effect: "AMOUNT_OFF", amount: "" }), { amount: ["required"] }],
      [form({ effect: "AMOUNT_OFF", amount: "-5" }), { amount: ["invalid_amount"] }],
      [form({ effect: "AMOUNT_OFF", amount: "0" }), { amount: ["discount_zero"] }],
      [form({ effect: "FIXED_PRICE", amount: "0,20" }), { amount: ["below_minimum_charge"] }],
      [form({ effect: "HALF_OFF" }), { effect: ["invalid_choice"] }],
      [form({ maxUses: "0" }), { maxUses: ["too_small"] }],
      [form({ maxUses: "ten" }), { maxUses: ["invalid_number"] }],
      [form({ maxUses: "5", maxUsesPerOrder: "6" }), { maxUsesPerOrder: ["per_order_above_max_uses"] }],
      [form({ validFrom: "2027-05-01T10:00", validUntil: "2027-05-01T09:00" }), { validUntil: ["ends_before_start"] }],
      [form({ validUntil: "2027-03-28T02:30" }), { validUntil: ["invalid_date"] }],
      [form({ ticketTypeIds: ["not-an-id"] }), { "ticketTypeIds.0": ["unknown_ticket_type"] }],
      [form({ count: "1001" }), { count: ["too_large"] }],
      [form({ code: "" }), { code: ["required"] }],
      [form({ code: "  " }), { code: ["required"] }],
    ];
    for (const [input, errors] of cases) expect(await errorsOf(input), JSON.stringify(input)).toEqual(errors);
    for (const code of cases.flatMap(([, errors]) => Object.values(errors).flat())) {
      expect(sentence(en, code), code).toBeTruthy();
      expect(sentence(fr, code), code).toBeTruthy();
    }
    expect(await db.voucher.count({ where: { editionId: edition.id } })).toBe(0);
  });

  it("ignores the value of an effect that was not chosen", async () => {
    const result = await createVouchers(
      db,
      organiser,
      edition.id,
      form({ code: "free-ignored", effect: "FREE", percentOff: "300", amount: "abc" }),
    );
    expect(result.ok && result.vouchers[0]).toMatchObject({ effect: "FREE", percentOff: null, amountCents: null });
  });
});

describe("creating vouchers", () => {
  it("stores a typed code as read, with its rules, types and window in the edition's zone, and audits it", async () => {
    const result = await createVouchers(db, organiser, edition.id, {
      code: " speakers 2027 ",
      effect: "FREE",
      ticketTypeIds: [volunteer.id, volunteer.id],
      maxUses: "40",
      maxUsesPerOrder: "1",
      validFrom: "2027-01-15T09:00",
      validUntil: "2027-05-19T23:59",
      tag: "Speakers",
      note: "Sent by the programme team",
      active: "on",
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    const [voucher] = result.vouchers;
    expect(voucher).toMatchObject({
      code: "SPEAKERS-2027",
      codeKey: "SPEAKERS2027",
      effect: "FREE",
      maxUses: 40,
      maxUsesPerOrder: 1,
      used: 0,
      validFrom: new Date("2027-01-15T08:00:00Z"),
      validUntil: new Date("2027-05-19T21:59:00Z"),
      tag: "Speakers",
      active: true,
    });
    const links = await db.voucherTicketType.findMany({ where: { voucherId: voucher.id } });
    expect(links.map((link) => link.ticketTypeId)).toEqual([volunteer.id]);
    const entry = await db.auditEntry.findFirstOrThrow({ where: { subjectId: voucher.id } });
    expect(entry).toMatchObject({ action: "voucher.created", subjectType: "voucher", actorEmail: organiser.email });
    expect(entry.after).toMatchObject({
      code: "SPEAKERS-2027",
      effect: "FREE",
      maxUses: 40,
      ticketTypeIds: [volunteer.id],
    });
  });

  it("refuses a code the edition has, however it is typed, and writes nothing", async () => {
    await createVouchers(db, organiser, edition.id, form({ code: "MEETUP-LYON" }));
    expect(await errorsOf(form({ code: "meetup lyon" }))).toEqual({ code: ["voucher_code_taken"] });
    expect(await errorsOf(form({ code: "MEETUPLYON" }))).toEqual({ code: ["voucher_code_taken"] });
    expect(await db.voucher.count({ where: { codeKey: "MEETUPLYON" } })).toBe(1);
  });

  it("generates a batch with one set of rules and one audit entry naming its codes", async () => {
    const result = await createVouchers(db, organiser, edition.id, {
      effect: "FIXED_PRICE",
      amount: "99,50",
      ticketTypeIds: [conference.id],
      maxUses: "1",
      count: "25",
      prefix: "acme",
      tag: "ACME Corp",
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.vouchers).toHaveLength(25);
    for (const voucher of result.vouchers) {
      expect(voucher.code).toMatch(/^ACME-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      expect(voucher).toMatchObject({ effect: "FIXED_PRICE", amountCents: 9950, maxUses: 1, tag: "ACME Corp" });
    }
    expect(await db.voucherTicketType.count({ where: { ticketTypeId: conference.id } })).toBe(25);
    const entries = await db.auditEntry.findMany({ where: { action: "voucher.generated" } });
    expect(entries).toHaveLength(1);
    expect((entries[0].after as { codes: string[] }).codes.sort()).toEqual(
      result.vouchers.map((voucher) => voucher.code).sort(),
    );
  });

  it("refuses another edition's ticket type, and an unknown edition", async () => {
    const other = await createEdition(db, { capacity: 10 });
    const before = await db.voucher.count();
    expect(await errorsOf(form({ code: "FOREIGN-TYPE", ticketTypeIds: [other.ticketTypes[0].id] }))).toEqual({
      ticketTypeIds: ["unknown_ticket_type"],
    });
    expect(await db.voucher.count()).toBe(before);
    expect(await createVouchers(db, organiser, "00000000-0000-4000-8000-000000000000", form())).toEqual({
      ok: false,
      reason: "not_found",
    });
  });
});

describe("editing a voucher", () => {
  it("never takes its maximum below the uses counted, and audits what changed", async () => {
    const created = await createVouchers(db, organiser, edition.id, form({ code: "COMMUNITY-20", maxUses: "10" }));
    if (!created.ok) throw new Error(JSON.stringify(created));
    const { id } = created.vouchers[0];
    await db.voucher.update({ where: { id }, data: { used: 4 } });

    const below = await updateVoucher(db, organiser, edition.id, id, form({ maxUses: "3" }));
    expect(below).toEqual({ ok: false, reason: "invalid", fieldErrors: { maxUses: ["max_uses_below_used"] } });

    const saved = await updateVoucher(
      db,
      organiser,
      edition.id,
      id,
      form({ maxUses: "4", percentOff: "25", ticketTypeIds: [conference.id], code: "RENAMED", active: "" }),
    );
    expect(saved.ok && saved.vouchers[0]).toMatchObject({
      code: "COMMUNITY-20",
      maxUses: 4,
      percentOff: 25,
      active: false,
    });
    const entry = await db.auditEntry.findFirstOrThrow({ where: { subjectId: id, action: "voucher.updated" } });
    expect(entry.before).toEqual({
      code: "COMMUNITY-20",
      maxUses: 10,
      percentOff: 20,
      active: true,
      ticketTypeIds: [],
    });
    expect(entry.after).toEqual({
      code: "COMMUNITY-20",
      maxUses: 4,
      percentOff: 25,
      active: false,
      ticketTypeIds: [conference.id],
    });

    // Saved unchanged: nothing to audit.
    await updateVoucher(
      db,
      organiser,
      edition.id,
      id,
      form({ maxUses: "4", percentOff: "25", ticketTypeIds: [conference.id], active: "" }),
    );
    expect(await db.auditEntry.count({ where: { subjectId: id, action: "voucher.updated" } })).toBe(1);
  });

  it("waits for a use being counted, then counts it: a maximum at the uses read before it is refused", async () => {
    const created = await createVouchers(db, organiser, edition.id, form({ code: "RACE-CODE", maxUses: "5" }));
    if (!created.ok) throw new Error(JSON.stringify(created));
    const { id } = created.vouchers[0];
    await db.voucher.update({ where: { id }, data: { used: 3 } });
    // A placement counting one more use, as its trigger will: the conditional increment, not yet committed.
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let counted!: () => void;
    const isCounted = new Promise<void>((resolve) => (counted = resolve));
    const placement = db.$transaction(async (tx) => {
      await tx.$executeRaw`UPDATE "Voucher" SET used = used + 1 WHERE id = ${id}::uuid AND used + 1 <= "maxUses"`;
      counted();
      await committed;
    });
    await isCounted;
    const edit = updateVoucher(db, organiser, edition.id, id, form({ maxUses: "3" }));
    await waitForLockWaiters(db, 1);
    commit();
    await placement;
    expect(await edit).toEqual({ ok: false, reason: "invalid", fieldErrors: { maxUses: ["max_uses_below_used"] } });
    expect(await db.voucher.findUniqueOrThrow({ where: { id } })).toMatchObject({ used: 4, maxUses: 5 });
  });

  it("finds only the edition's own voucher", async () => {
    const created = await createVouchers(db, organiser, edition.id, form({ code: "OWN-CODE" }));
    if (!created.ok) throw new Error(JSON.stringify(created));
    const other = await createEdition(db, { capacity: 10 });
    expect(await updateVoucher(db, organiser, other.id, created.vouchers[0].id, form())).toEqual({
      ok: false,
      reason: "not_found",
    });
  });
});

describe("the voucher tables", () => {
  it("refuse rows that break the rules, whoever writes them", async () => {
    const base = { editionId: edition.id, code: "RAW-CODE", codeKey: "RAWCODE" };
    const refused = [
      { ...base, effect: "PERCENT_OFF", percentOff: 0 },
      { ...base, effect: "PERCENT_OFF", percentOff: 20, amountCents: 100 },
      { ...base, effect: "AMOUNT_OFF", amountCents: 0 },
      { ...base, effect: "FREE", amountCents: 100 },
      { ...base, effect: "FREE", codeKey: "OTHER" },
      { ...base, effect: "FREE", code: "raw-code", codeKey: "rawcode" },
      { ...base, effect: "FREE", maxUses: 2, used: 3 },
      { ...base, effect: "FREE", maxUses: 2, maxUsesPerOrder: 3 },
      { ...base, effect: "FREE", validFrom: new Date("2027-01-02"), validUntil: new Date("2027-01-01") },
    ] as const;
    for (const data of refused) await expect(db.voucher.create({ data }), JSON.stringify(data)).rejects.toThrow();
    await expect(db.voucher.create({ data: { ...base, effect: "FREE" } })).resolves.toMatchObject({ code: "RAW-CODE" });
    await expect(
      db.seatAllocation.create({
        data: { editionId: edition.id, name: "Sponsor", seats: 2, used: 3, releaseAt: new Date("2027-05-01") },
      }),
    ).rejects.toThrow();
  });
});

describe("a voucher's block and its withdrawal", () => {
  it("draws on a block of the edition, never another edition's", async () => {
    const other = await createEdition(db, { capacity: 10 });
    const block = (editionId: string) =>
      db.seatAllocation.create({ data: { editionId, name: "Sponsor", seats: 5, releaseAt: new Date("2027-05-01") } });
    const own = await block(edition.id);
    const foreign = await block(other.id);

    const refused = await createVouchers(
      db,
      organiser,
      edition.id,
      form({ code: "block-2", allocationId: foreign.id }),
    );
    expect(refused).toEqual({ ok: false, reason: "invalid", fieldErrors: { allocationId: ["unknown_allocation"] } });
    const created = await createVouchers(db, organiser, edition.id, form({ code: "block-1", allocationId: own.id }));
    expect(created.ok && created.vouchers[0].allocationId).toBe(own.id);
    const voucher = created.ok ? created.vouchers[0] : null;
    const cleared = await updateVoucher(db, organiser, edition.id, voucher!.id, form({ allocationId: "" }));
    expect(cleared.ok && cleared.vouchers[0].allocationId).toBeNull();
    expect(en.voucherAdmin.fieldError.unknown_allocation).toBeTruthy();
    expect(fr.voucherAdmin.fieldError.unknown_allocation).toBeTruthy();
  });

  it("is deactivated and reactivated, each audited once", async () => {
    const created = await createVouchers(db, organiser, edition.id, form({ code: "withdrawn-1" }));
    const voucher = created.ok ? created.vouchers[0] : null;
    expect(await setVoucherActive(db, organiser, edition.id, voucher!.id, false)).toMatchObject({
      ok: true,
      voucher: { active: false },
    });
    await setVoucherActive(db, organiser, edition.id, voucher!.id, false);
    await setVoucherActive(db, organiser, edition.id, voucher!.id, true);
    const audit = await db.auditEntry.findMany({
      where: { subjectId: voucher!.id, action: { in: ["voucher.deactivated", "voucher.reactivated"] } },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((entry) => [entry.action, entry.after])).toEqual([
      ["voucher.deactivated", { code: "WITHDRAWN-1", active: false }],
      ["voucher.reactivated", { code: "WITHDRAWN-1", active: true }],
    ]);
    const foreign = await createEdition(db, { capacity: 1 });
    expect(await setVoucherActive(db, organiser, foreign.id, voucher!.id, false)).toEqual({
      ok: false,
      reason: "not_found",
    });
  });
});
