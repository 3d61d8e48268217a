import { describe, expect, it } from "vitest";
import { getSeatUsage } from "@/lib/capacity/seats";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { registerAttendee, type RegistrationResult } from "./register";

const { db, newClient } = await useTestDatabase(20);
const HOLD = { holdMinutes: 30 };

function reasons(results: RegistrationResult[]) {
  const tally: Record<string, number> = {};
  for (const result of results) {
    const key = result.ok ? "ok" : result.reason;
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return tally;
}

describe("registerAttendee", () => {
  it("confirms a free ticket at once and records the attendee", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const result = await registerAttendee(db, edition.slug, attendeeRequest("free"), HOLD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.order).toMatchObject({ status: "CONFIRMED", amountCents: 0, holdExpiresAt: null, locale: "en" });
    expect(result.order.reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const tickets = await db.ticket.findMany({ where: { orderId: result.order.id } });
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({
      email: "ada.1@example.org",
      lastName: "Lovelace 1",
      company: "Analytical",
      status: "ACTIVE",
    });
  });

  it("holds a paid ticket until the hold expires", async () => {
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    const now = new Date("2027-01-10T10:00:00Z");
    const result = await registerAttendee(db, edition.slug, attendeeRequest("paid"), { now, holdMinutes: 30 });
    expect(result.ok && result.order).toMatchObject({
      status: "PENDING",
      amountCents: 4900,
      currency: "EUR",
      holdExpiresAt: new Date("2027-01-10T10:30:00Z"),
    });
  });

  it("never oversells: 500 concurrent registrations from two pools for 300 seats", async () => {
    const edition = await createEdition(db, { capacity: 300 });
    // Two clients with their own pools stand for two app instances on one Postgres.
    const instances = [newClient(20), newClient(20)];
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        registerAttendee(instances[i % 2], edition.slug, attendeeRequest("free", i), HOLD),
      ),
    );
    expect(reasons(results)).toEqual({ ok: 300, sold_out: 200 });
    expect(await db.ticket.count({ where: { editionId: edition.id, status: "ACTIVE" } })).toBe(300);
    const usage = await getSeatUsage(db, edition.id, new Date());
    expect(usage.confirmed).toBe(300);
  });

  it("keeps a ticket type within its quota when the edition still has room", async () => {
    const edition = await createEdition(db, {
      capacity: 100,
      ticketTypes: [{ code: "student", quota: 20 }, { code: "free" }],
    });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        registerAttendee(db, edition.slug, attendeeRequest("student", `s${i}`), HOLD),
      ),
    );
    expect(reasons(results)).toEqual({ ok: 20, sold_out: 40 });
    const other = await registerAttendee(db, edition.slug, attendeeRequest("free", "other"), HOLD);
    expect(other.ok).toBe(true);
  });

  it("lets an expired hold's seat go to the next person, with no job running", async () => {
    const edition = await createEdition(db, { capacity: 1, ticketTypes: [{ code: "paid", priceCents: 1000 }] });
    const first = await registerAttendee(db, edition.slug, attendeeRequest("paid", 1), { holdMinutes: 30 });
    if (!first.ok) throw new Error(first.reason);
    const during = await registerAttendee(db, edition.slug, attendeeRequest("paid", 2), { holdMinutes: 30 });
    expect(during).toEqual({ ok: false, reason: "sold_out", left: 0, leftByCode: { paid: 0 } });
    // The hold ends by the database's clock, the one every instance shares.
    await db.$executeRaw`UPDATE "Order" SET "holdExpiresAt" = clock_timestamp() WHERE id = ${first.order.id}::uuid`;
    const after = await registerAttendee(db, edition.slug, attendeeRequest("paid", 2), { holdMinutes: 30 });
    expect(after.ok).toBe(true);
  });

  it("refuses a second live registration with the same email, whatever its case", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    await registerAttendee(db, edition.slug, attendeeRequest("free", "dup"), HOLD);
    const again = attendeeRequest("free", "dup");
    again.attendee.email = "  ADA.dup@Example.org ";
    expect(await registerAttendee(db, edition.slug, again, HOLD)).toEqual({
      ok: false,
      reason: "already_registered",
      positions: [1],
    });
  });

  it("refuses unknown, draft and closed editions and sales windows, writing nothing", async () => {
    const now = new Date("2027-01-10T10:00:00Z");
    const draft = await createEdition(db, { capacity: 10, status: "DRAFT" });
    const closed = await createEdition(db, { capacity: 10, status: "CLOSED" });
    const windows = await createEdition(db, {
      capacity: 10,
      ticketTypes: [
        { code: "early", salesEndAt: now },
        { code: "late", salesStartAt: new Date("2027-02-01T00:00:00Z") },
        { code: "retired", active: false },
      ],
    });
    const at = { now, holdMinutes: 30 };
    expect(await registerAttendee(db, "no-such-edition", attendeeRequest("free"), at)).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await registerAttendee(db, draft.slug, attendeeRequest("free"), at)).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await registerAttendee(db, closed.slug, attendeeRequest("free"), at)).toEqual({
      ok: false,
      reason: "edition_closed",
    });
    expect(await registerAttendee(db, windows.slug, attendeeRequest("early"), at)).toEqual({
      ok: false,
      reason: "ended",
    });
    expect(await registerAttendee(db, windows.slug, attendeeRequest("late"), at)).toEqual({
      ok: false,
      reason: "not_started",
    });
    expect(await registerAttendee(db, windows.slug, attendeeRequest("retired"), at)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { ticketType: ["unknown_ticket_type"] },
    });
    expect(await db.order.count({ where: { editionId: { in: [draft.id, closed.id, windows.id] } } })).toBe(0);
  });

  it("reports every bad field with a code and writes nothing", async () => {
    const edition = await createEdition(db, {
      capacity: 10,
      questions: [
        { key: "tshirt", type: "SELECT", required: true, options: [{ value: "m", labelFr: "M", labelEn: "M" }] },
        { key: "coc", type: "CHECKBOX", required: true },
        { key: "diet", type: "TEXT" },
      ],
    });
    const result = await registerAttendee(
      db,
      edition.slug,
      {
        ticketType: "nope",
        attendee: { firstName: "   ", lastName: "x".repeat(101), email: "not-an-email", company: "Bad\u0000Corp" },
        answers: { tshirt: "xxl", coc: false, diet: 42 },
      },
      HOLD,
    );
    expect(result).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: {
        "attendee.firstName": ["required"],
        "attendee.lastName": ["too_long"],
        "attendee.email": ["invalid_email"],
        "attendee.company": ["invalid_characters"],
        "answers.tshirt": ["invalid_choice"],
        "answers.coc": ["must_accept"],
        "answers.diet": ["invalid_type"],
      },
    });
    const unknownType = await registerAttendee(
      db,
      edition.slug,
      { ...attendeeRequest("nope"), answers: { tshirt: "m", coc: "on" } },
      HOLD,
    );
    expect(unknownType).toEqual({ ok: false, reason: "invalid", fieldErrors: { ticketType: ["unknown_ticket_type"] } });
    const garbage = await registerAttendee(db, edition.slug, "not even an object", HOLD);
    expect(garbage.ok === false && garbage.reason).toBe("invalid");
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(0);
  });

  it("stores answers normalised: checkbox from a form, empty optional text dropped", async () => {
    const edition = await createEdition(db, {
      capacity: 10,
      questions: [
        { key: "coc", type: "CHECKBOX", required: true },
        { key: "diet", type: "TEXT" },
      ],
    });
    const result = await registerAttendee(
      db,
      edition.slug,
      { ...attendeeRequest("free"), answers: { coc: "on", diet: "  " } },
      HOLD,
    );
    expect(result.ok).toBe(true);
    const ticket = await db.ticket.findFirstOrThrow({ where: { editionId: edition.id } });
    expect(ticket.answers).toEqual({ coc: true });
  });

  it("takes optional questions left out or empty, storing nothing; refuses a required one missing", async () => {
    const edition = await createEdition(db, {
      capacity: 10,
      questions: [
        { key: "tshirt", type: "SELECT", options: [{ value: "m", labelFr: "M", labelEn: "M" }] },
        { key: "news", type: "CHECKBOX" },
        { key: "diet", type: "TEXT" },
      ],
    });
    // The API leaves them out, or sends an unticked box as false; the form sends empty fields and no box at all.
    const viaApi = await registerAttendee(db, edition.slug, attendeeRequest("free", "api"), HOLD);
    const viaApiFalse = await registerAttendee(
      db,
      edition.slug,
      { ...attendeeRequest("free", "false"), answers: { news: false } },
      HOLD,
    );
    const viaForm = await registerAttendee(
      db,
      edition.slug,
      { ...attendeeRequest("free", "form"), answers: { tshirt: "", diet: "" } },
      HOLD,
    );
    expect([viaApi.ok, viaApiFalse.ok, viaForm.ok]).toEqual([true, true, true]);
    const tickets = await db.ticket.findMany({ where: { editionId: edition.id } });
    expect(tickets.map((ticket) => ticket.answers)).toEqual([{}, {}, {}]);

    const strict = await createEdition(db, {
      capacity: 10,
      questions: [{ key: "coc", type: "CHECKBOX", required: true }],
    });
    const group = { buyer: attendeeRequest("free", "buyer").attendee, locale: "en" };
    const missing = [
      await registerAttendee(db, strict.slug, attendeeRequest("free", "strict"), HOLD),
      await registerAttendee(db, strict.slug, { ...group, tickets: [attendeeRequest("free", "strict-group")] }, HOLD),
    ];
    expect(missing).toEqual([
      { ok: false, reason: "invalid", fieldErrors: { "answers.coc": ["must_accept"] } },
      { ok: false, reason: "invalid", fieldErrors: { "tickets.0.answers.coc": ["must_accept"] } },
    ]);
    expect(await db.ticket.count({ where: { editionId: strict.id } })).toBe(0);
  });
});
