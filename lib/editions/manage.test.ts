import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { holdRowLock, waitForLockWaiters } from "@/devtools/testing/row-locks";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { getSeatUsage } from "@/lib/capacity/seats";
import { cloneEdition, createEdition as createEditionFromForm, setEditionStatus, updateEdition } from "./manage";
import { deleteQuestion, moveQuestion, parseOptionLines, saveQuestion } from "./questions";
import { deleteTicketType, saveTicketType } from "./ticket-types";

const { db } = await useTestDatabase();
const actor = { id: "00000000-0000-4000-8000-000000000001", email: "organiser@example.org" };

let slugs = 0;
const form = (overrides: Record<string, string> = {}) => ({
  slug: `paris-${++slugs}-${Date.now().toString(36)}`,
  nameFr: "Open Cloud Paris #13",
  nameEn: "Open Cloud Paris #13",
  descriptionFr: "",
  descriptionEn: "",
  venueName: "Espace Charenton",
  venueAddress: "327 rue de Charenton, Paris",
  timeZone: "Europe/Paris",
  startsAt: "2027-05-20T09:00",
  endsAt: "2027-05-20T18:30",
  editDeadline: "",
  refundDeadline: "2027-05-01T23:59",
  capacity: "300",
  currency: "eur",
  ...overrides,
});

const typeForm = (overrides: Record<string, string> = {}) => ({
  code: "standard",
  nameFr: "Standard",
  nameEn: "Standard",
  price: "49,50",
  quota: "",
  salesStartAt: "",
  salesEndAt: "2027-05-01T23:59",
  active: "on",
  ...overrides,
});

const auditOf = (editionId: string) => db.auditEntry.findMany({ where: { editionId }, orderBy: { createdAt: "asc" } });

describe("editions in the back office", () => {
  it("creates a draft from wall-clock times in the edition's zone, and audits it", async () => {
    const result = await createEditionFromForm(db, actor, form());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.edition).toMatchObject({
      status: "DRAFT",
      capacity: 300,
      currency: "EUR",
      editDeadline: null,
    });
    expect(result.edition.startsAt.toISOString()).toBe("2027-05-20T07:00:00.000Z");
    expect(result.edition.refundDeadline?.toISOString()).toBe("2027-05-01T21:59:00.000Z");
    const [entry] = await auditOf(result.edition.id);
    expect(entry).toMatchObject({
      action: "edition.created",
      actorEmail: actor.email,
      subjectType: "edition",
      before: null,
    });
    expect(entry.after).toMatchObject({ capacity: 300, startsAt: "2027-05-20T07:00:00.000Z" });
  });

  it("refuses bad input field by field and changes nothing", async () => {
    const before = await db.edition.count();
    const result = await createEditionFromForm(
      db,
      actor,
      form({
        slug: "Not a slug!",
        capacity: "-3",
        startsAt: "2027-03-28T02:30",
        endsAt: "2027-03-27T10:00",
        timeZone: "Mars/Olympus",
      }),
    );
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    if (result.ok || result.reason !== "invalid") return;
    expect(Object.keys(result.fieldErrors).sort()).toEqual(["capacity", "slug", "timeZone"]);
    const gap = await createEditionFromForm(
      db,
      actor,
      form({ startsAt: "2027-03-28T02:30", endsAt: "2027-03-28T01:00" }),
    );
    expect(gap).toMatchObject({ ok: false, fieldErrors: { startsAt: ["invalid_date"] } });
    const backwards = await createEditionFromForm(db, actor, form({ endsAt: "2027-05-20T08:00" }));
    expect(backwards).toMatchObject({ ok: false, fieldErrors: { endsAt: ["ends_before_start"] } });
    expect(await db.edition.count()).toBe(before);
  });

  it("refuses a slug already used", async () => {
    const first = form();
    await createEditionFromForm(db, actor, first);
    expect(await createEditionFromForm(db, actor, { ...form(), slug: first.slug })).toEqual({
      ok: false,
      reason: "slug_taken",
    });
  });

  it("never lowers capacity below the seats taken, and audits only what changed", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    for (const n of [1, 2, 3])
      expect(
        (await registerAttendee(db, edition.slug, attendeeRequest("free", `cap-${n}`), { holdMinutes: 35 })).ok,
      ).toBe(true);
    const fields = form({ slug: edition.slug, capacity: "2" });
    expect(await updateEdition(db, actor, edition.id, fields)).toEqual({
      ok: false,
      reason: "capacity_below_taken",
      taken: 3,
    });
    expect((await db.edition.findUniqueOrThrow({ where: { id: edition.id } })).capacity).toBe(5);
    expect((await updateEdition(db, actor, edition.id, { ...fields, capacity: "3" })).ok).toBe(true);
    const updated = (await auditOf(edition.id)).find((entry) => entry.action === "edition.updated");
    expect(updated?.before).toMatchObject({ capacity: 5 });
    expect(updated?.after).toMatchObject({ capacity: 3 });
    expect(Object.keys(updated?.after as object)).not.toContain("venueAddressUnchanged");
    // Full now: registration is refused, as the lowered capacity says.
    expect(await registerAttendee(db, edition.slug, attendeeRequest("free", "cap-4"), { holdMinutes: 35 })).toEqual({
      ok: false,
      reason: "sold_out",
      left: 0,
      leftByCode: { free: 0 },
    });
  });

  it("opens and closes an edition, audited", async () => {
    const edition = await createEdition(db, { capacity: 5, status: "DRAFT" });
    expect((await setEditionStatus(db, actor, edition.id, "OPEN")).ok).toBe(true);
    expect((await setEditionStatus(db, actor, edition.id, "CLOSED")).ok).toBe(true);
    expect((await auditOf(edition.id)).map((entry) => entry.action)).toEqual(["edition.open", "edition.closed"]);
  });

  it("clones settings, ticket types and questions, never attendees", async () => {
    const source = await createEdition(db, {
      capacity: 10,
      ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900, quota: 3 }],
      questions: [{ key: "tshirt", type: "SELECT", options: [{ value: "m", labelFr: "M", labelEn: "M" }] }],
    });
    await registerAttendee(db, source.slug, attendeeRequest("free", "clone", { answers: { tshirt: "m" } }), {
      holdMinutes: 35,
    });
    const result = await cloneEdition(db, actor, source.id, {
      slug: `${source.slug}-next`,
      nameFr: "Suivante",
      nameEn: "Next",
      startsAt: "2027-11-18T09:00",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const copy = await db.edition.findUniqueOrThrow({
      where: { id: result.edition.id },
      include: { ticketTypes: true, questions: true, tickets: true },
    });
    expect(copy).toMatchObject({ status: "DRAFT", capacity: 10, nameEn: "Next", venueName: source.venueName });
    expect(copy.ticketTypes.map((type) => [type.code, type.priceCents, type.quota]).sort()).toEqual([
      ["free", 0, null],
      ["paid", 4900, 3],
    ]);
    expect(copy.questions.map((question) => question.key)).toEqual(["tshirt"]);
    expect(copy.tickets).toEqual([]);
    const again = { slug: `${source.slug}-next`, nameFr: "x", nameEn: "x", startsAt: "2027-11-18T09:00" };
    expect(await cloneEdition(db, actor, source.id, again)).toEqual({ ok: false, reason: "slug_taken" });
  });
});

describe("ticket types", () => {
  it("adds a type with a price in cents and a sales window in the edition's zone", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const result = await saveTicketType(db, actor, edition.id, null, typeForm());
    expect(result).toMatchObject({
      ok: true,
      ticketType: { code: "standard", priceCents: 4950, quota: null, active: true },
    });
    if (result.ok) expect(result.ticketType.salesEndAt?.toISOString()).toBe("2027-05-01T21:59:00.000Z");
    expect(await saveTicketType(db, actor, edition.id, null, typeForm())).toEqual({ ok: false, reason: "code_taken" });
    expect(
      await saveTicketType(db, actor, edition.id, null, typeForm({ code: "x", price: "12.345", quota: "many" })),
    ).toMatchObject({ ok: false, fieldErrors: { price: ["invalid_amount"], quota: expect.any(Array) } });
  });

  it("keeps a quota at or above the seats the type holds, and deletes only unused types", async () => {
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "free" }, { code: "spare" }] });
    for (const n of [1, 2])
      await registerAttendee(db, edition.slug, attendeeRequest("free", `quota-${n}`), { holdMinutes: 35 });
    const free = edition.ticketTypes.find((type) => type.code === "free")!;
    const spare = edition.ticketTypes.find((type) => type.code === "spare")!;
    expect(
      await saveTicketType(db, actor, edition.id, free.id, typeForm({ code: "free", price: "0", quota: "1" })),
    ).toEqual({ ok: false, reason: "quota_below_taken", taken: 2 });
    expect(
      await saveTicketType(db, actor, edition.id, free.id, typeForm({ code: "free", price: "0", quota: "2" })),
    ).toMatchObject({ ok: true, ticketType: { quota: 2 } });
    expect(await deleteTicketType(db, actor, edition.id, free.id)).toEqual({ ok: false, reason: "in_use" });
    expect(await deleteTicketType(db, actor, edition.id, spare.id)).toMatchObject({ ok: true });
    expect((await auditOf(edition.id)).map((entry) => entry.action)).toEqual([
      "ticket_type.updated",
      "ticket_type.deleted",
    ]);
  });

  it("answers in use, not a foreign-key failure, for a type a voucher or a reserved block names", async () => {
    const edition = await createEdition(db, {
      capacity: 10,
      ticketTypes: [{ code: "speaker" }, { code: "sponsor" }, { code: "spare" }],
    });
    const [speaker, sponsor, spare] = edition.ticketTypes;
    await db.voucher.create({
      data: {
        editionId: edition.id,
        code: "SPEAK-2345",
        codeKey: "SPEAK2345",
        effect: "FREE",
        ticketTypes: { create: [{ ticketTypeId: speaker.id }] },
      },
    });
    await db.seatAllocation.create({
      data: { editionId: edition.id, name: "Sponsor", seats: 2, ticketTypeId: sponsor.id, releaseAt: new Date() },
    });
    expect(await deleteTicketType(db, actor, edition.id, speaker.id)).toEqual({ ok: false, reason: "in_use" });
    expect(await deleteTicketType(db, actor, edition.id, sponsor.id)).toEqual({ ok: false, reason: "in_use" });
    expect(await deleteTicketType(db, actor, edition.id, spare.id)).toMatchObject({ ok: true });
    expect(await db.ticketType.count({ where: { editionId: edition.id } })).toBe(2);
  });

  it("hides a type from the public list when ticked, and audits it", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const created = await saveTicketType(db, actor, edition.id, null, typeForm({ code: "volunteer", hidden: "on" }));
    expect(created).toMatchObject({ ok: true, ticketType: { hidden: true } });
    const id = created.ok ? created.ticketType.id : "";
    expect(await saveTicketType(db, actor, edition.id, id, typeForm({ code: "volunteer" }))).toMatchObject({
      ok: true,
      ticketType: { hidden: false },
    });
    const updated = await db.auditEntry.findFirstOrThrow({
      where: { editionId: edition.id, action: "ticket_type.updated" },
    });
    expect(updated).toMatchObject({ before: { hidden: true }, after: { hidden: false } });
  });

  it("keeps a VAT rate per type (20 % unless chosen), a legal mention at 0 % only, and audits both", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const created = await saveTicketType(db, actor, edition.id, null, typeForm());
    expect(created).toMatchObject({ ok: true, ticketType: { vatRateBasisPoints: 2000, vatExemption: null } });
    if (!created.ok) return;
    const id = created.ticketType.id;
    expect(await saveTicketType(db, actor, edition.id, id, typeForm({ vatRate: "0" }))).toMatchObject({
      ok: false,
      fieldErrors: { vatExemption: ["exemption_required"] },
    });
    expect(await saveTicketType(db, actor, edition.id, id, typeForm({ vatRate: "1900" }))).toMatchObject({
      ok: false,
      fieldErrors: { vatRate: ["invalid_choice"] },
    });
    const mention = "Exonération de TVA, art. 261-7-1° du CGI";
    expect(
      await saveTicketType(db, actor, edition.id, id, typeForm({ vatRate: "0", vatExemption: mention })),
    ).toMatchObject({ ok: true, ticketType: { vatRateBasisPoints: 0, vatExemption: mention } });
    expect(
      await saveTicketType(db, actor, edition.id, id, typeForm({ vatRate: "550", vatExemption: mention })),
    ).toMatchObject({ ok: true, ticketType: { vatRateBasisPoints: 550, vatExemption: null } });
    // A caller that does not send the rate (an older form) leaves it as it is.
    expect(await saveTicketType(db, actor, edition.id, id, typeForm({ price: "60" }))).toMatchObject({
      ok: true,
      ticketType: { vatRateBasisPoints: 550 },
    });
    const updates = (await auditOf(edition.id)).filter((entry) => entry.action === "ticket_type.updated");
    expect(updates.map((entry) => entry.after)).toEqual([
      { vatRateBasisPoints: 0, vatExemption: mention },
      { vatRateBasisPoints: 550, vatExemption: null },
      { priceCents: 6000 },
    ]);
    await expect(db.ticketType.update({ where: { id }, data: { vatRateBasisPoints: 1900 } })).rejects.toThrow(
      /TicketType_vat_rate/,
    );
  });
});

/**
 * A registration and a back-office edit of the same edition, both queued on the edition's row
 * (the registration has already inserted its ticket and waits to claim). Postgres lets either go
 * first; whichever does, the other must see it. Without the edit's lock, the edit counts before the
 * registration commits and writes after it: each test runs the race a few times to catch that.
 */
async function registrationThenEdit<T>(editionId: string, slug: string, edit: () => Promise<T>) {
  const gate = await holdRowLock(db, "EditionSeats", editionId, "NO KEY UPDATE");
  let registration: ReturnType<typeof registerAttendee> | undefined;
  let edited: Promise<T> | undefined;
  try {
    registration = registerAttendee(db, slug, attendeeRequest("free", `race-${Date.now()}`), { holdMinutes: 35 });
    await waitForLockWaiters(db, 1);
    edited = edit();
    await waitForLockWaiters(db, 2);
  } finally {
    await gate.release();
  }
  return { registration: await registration!, edit: await edited! };
}

describe("back-office edits racing registrations", () => {
  it("a capacity lowered while a registration claims its seat never ends below the seats taken", async () => {
    for (let round = 0; round < 3; round++) {
      const edition = await createEdition(db, { capacity: 2 });
      const first = await registerAttendee(db, edition.slug, attendeeRequest("free", "first"), { holdMinutes: 35 });
      expect(first.ok).toBe(true);
      const { registration, edit } = await registrationThenEdit(edition.id, edition.slug, () =>
        updateEdition(db, actor, edition.id, form({ slug: edition.slug, capacity: "1", currency: "EUR" })),
      );
      // Exactly one of them got what it asked for, and capacity still holds.
      expect([registration.ok, edit.ok].sort()).toEqual([false, true]);
      if (!edit.ok) expect(edit).toEqual({ ok: false, reason: "capacity_below_taken", taken: 2 });
      const { capacity } = await db.edition.findUniqueOrThrow({ where: { id: edition.id } });
      expect((await getSeatUsage(db, edition.id)).confirmed).toBeLessThanOrEqual(capacity);
    }
  });

  it("a quota lowered while a registration claims its seat never ends below the seats taken", async () => {
    for (let round = 0; round < 3; round++) {
      const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "free", quota: 2 }] });
      const free = edition.ticketTypes[0];
      const first = await registerAttendee(db, edition.slug, attendeeRequest("free", "first"), { holdMinutes: 35 });
      expect(first.ok).toBe(true);
      const { registration, edit } = await registrationThenEdit(edition.id, edition.slug, () =>
        saveTicketType(db, actor, edition.id, free.id, typeForm({ code: "free", price: "0", quota: "1" })),
      );
      expect([registration.ok, edit.ok].sort()).toEqual([false, true]);
      const { quota } = await db.ticketType.findUniqueOrThrow({ where: { id: free.id } });
      expect((await getSeatUsage(db, edition.id)).byTicketType.get(free.id)?.confirmed).toBeLessThanOrEqual(quota!);
    }
  });

  it("deleting a type while a registration for it is in flight refuses cleanly", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const { registration, edit } = await registrationThenEdit(edition.id, edition.slug, () =>
      deleteTicketType(db, actor, edition.id, edition.ticketTypes[0].id),
    );
    expect(registration.ok).toBe(true);
    expect(edit).toEqual({ ok: false, reason: "in_use" });
  });

  it("a registration for a type deleted while it was on its way is refused as an unknown type", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const gate = await holdRowLock(db, "EditionSeats", edition.id, "NO KEY UPDATE");
    let deleted: ReturnType<typeof deleteTicketType> | undefined;
    let registration: ReturnType<typeof registerAttendee> | undefined;
    try {
      // The delete holds the type and waits for the edition; the registration's ticket waits for the type.
      deleted = deleteTicketType(db, actor, edition.id, edition.ticketTypes[0].id);
      await waitForLockWaiters(db, 1);
      registration = registerAttendee(db, edition.slug, attendeeRequest("free", "late"), { holdMinutes: 35 });
      await waitForLockWaiters(db, 2);
    } finally {
      await gate.release();
    }
    expect((await deleted!).ok).toBe(true);
    const refused = { ok: false, reason: "invalid", fieldErrors: { ticketType: ["unknown_ticket_type"] } };
    expect(await registration!).toEqual(refused);
  });
});

describe("money settings", () => {
  it("takes only two-decimal currencies, and keeps the currency once orders exist", async () => {
    expect(await createEditionFromForm(db, actor, form({ currency: "JPY" }))).toMatchObject({
      ok: false,
      fieldErrors: { currency: ["invalid_currency"] },
    });
    const edition = await createEdition(db, { capacity: 5 });
    expect((await updateEdition(db, actor, edition.id, form({ slug: edition.slug, currency: "CHF" }))).ok).toBe(true);
    await registerAttendee(db, edition.slug, attendeeRequest("free", "currency"), { holdMinutes: 35 });
    expect(await updateEdition(db, actor, edition.id, form({ slug: edition.slug, currency: "USD" }))).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { currency: ["currency_locked"] },
    });
  });

  it("refuses a price below Stripe's minimum charge, free tickets aside", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const save = (code: string, price: string) =>
      saveTicketType(db, actor, edition.id, null, typeForm({ code, price }));
    expect(await save("cheap", "0.20")).toMatchObject({ ok: false, fieldErrors: { price: ["below_minimum_charge"] } });
    expect((await save("fifty", "0.50")).ok).toBe(true);
    expect((await save("gratis", "0")).ok).toBe(true);
  });
});

describe("registration questions", () => {
  it("reads choice lines and refuses malformed or duplicate ones", () => {
    expect(parseOptionLines("m | M | M\nxl | XL | XL\n")).toEqual([
      { value: "m", labelFr: "M", labelEn: "M" },
      { value: "xl", labelFr: "XL", labelEn: "XL" },
    ]);
    expect(parseOptionLines("m | M")).toBeNull();
    expect(parseOptionLines("m | M | M\nm | L | L")).toBeNull();
    expect(parseOptionLines("bad value | A | A")).toBeNull();
  });

  it("adds, edits, orders and deletes questions; the registration form follows", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const diet = await saveQuestion(db, actor, edition.id, null, {
      key: "diet",
      type: "TEXT",
      labelFr: "Régime",
      labelEn: "Diet",
      options: "",
    });
    const size = await saveQuestion(db, actor, edition.id, null, {
      key: "size",
      type: "SELECT",
      required: "on",
      labelFr: "Taille",
      labelEn: "Size",
      options: "s | S | S\nm | M | M",
    });
    expect(size).toMatchObject({
      ok: true,
      question: { position: 1, required: true, options: [{ value: "s" }, { value: "m" }] },
    });
    expect(
      await saveQuestion(db, actor, edition.id, null, { key: "size", type: "TEXT", labelFr: "x", labelEn: "x" }),
    ).toEqual({ ok: false, reason: "key_taken" });
    expect(
      await saveQuestion(db, actor, edition.id, null, {
        key: "colour",
        type: "SELECT",
        labelFr: "x",
        labelEn: "x",
        options: "",
      }),
    ).toMatchObject({ ok: false, fieldErrors: { options: ["invalid_options"] } });
    if (!size.ok || !diet.ok) return;
    await moveQuestion(db, actor, edition.id, size.question.id, "up");
    expect(
      (await db.question.findMany({ where: { editionId: edition.id }, orderBy: { position: "asc" } })).map(
        (question) => question.key,
      ),
    ).toEqual(["size", "diet"]);
    expect(await registerAttendee(db, edition.slug, attendeeRequest("free", "q1"), { holdMinutes: 35 })).toMatchObject({
      ok: false,
      fieldErrors: { "answers.size": expect.any(Array) },
    });
    await deleteQuestion(db, actor, edition.id, size.question.id);
    expect((await registerAttendee(db, edition.slug, attendeeRequest("free", "q2"), { holdMinutes: 35 })).ok).toBe(
      true,
    );
  });
});
