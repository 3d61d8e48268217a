import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { upsertUser } from "@/lib/auth/users";
import { registerAttendee, type RegistrationResult } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { CHALLENGE_SECONDS, issueChallenge } from "./challenge";
import { guardRegistration, type RegistrationDefences } from "./registration-guard";

const { db, newClient } = await useTestDatabase(20);
const HMAC_KEY = "a-test-key-that-signs-the-challenges-0123";
const OFF: RegistrationDefences = {
  challengeKey: null,
  registrationsPerClientPerHour: 1000,
  unpaidHoldsPerClient: 1000,
  holderKey: "a-secret",
};
const HOLD = { holdMinutes: 35 };

/** What the widget posts once it has solved a challenge: base64 JSON of the challenge and its solution. */
async function solvedPayload(now = new Date()): Promise<string> {
  const challenge = await issueChallenge(HMAC_KEY, now);
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error("the challenge was not solved");
  return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
}

function tally(results: RegistrationResult[]) {
  const counts: Record<string, number> = {};
  for (const result of results)
    counts[result.ok ? "ok" : result.reason] = (counts[result.ok ? "ok" : result.reason] ?? 0) + 1;
  return counts;
}

describe("the proof-of-work challenge, on", () => {
  const ON = { ...OFF, challengeKey: HMAC_KEY };

  it("refuses a registration without a valid solution and takes no seat; a solved challenge passes once", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const register = (n: number, challenge: unknown, now = new Date()) =>
      registerAttendee(db, edition.slug, attendeeRequest("free", n), {
        ...HOLD,
        now,
        guard: guardRegistration(db, { clientKey: "198.51.100.1", challenge }, ON),
      });

    expect(await register(1, null)).toEqual({ ok: false, reason: "challenge_failed" });
    expect(await register(2, "bm90IGEgcGF5bG9hZA==")).toEqual({ ok: false, reason: "challenge_failed" });
    const unsolved = await issueChallenge(HMAC_KEY);
    const wrong = Buffer.from(
      JSON.stringify({ challenge: unsolved, solution: { counter: 1, derivedKey: "00" } }),
    ).toString("base64");
    expect(await register(3, wrong)).toEqual({ ok: false, reason: "challenge_failed" });
    const forged = await issueChallenge("someone-elses-key-that-is-long-enough-000");
    const forgedSolution = await solveChallenge({ challenge: forged, deriveKey });
    expect(
      await register(
        4,
        Buffer.from(JSON.stringify({ challenge: forged, solution: forgedSolution })).toString("base64"),
      ),
    ).toEqual({ ok: false, reason: "challenge_failed" });
    expect(await db.ticket.count({ where: { editionId: edition.id } })).toBe(0);

    const payload = await solvedPayload();
    expect(await register(5, payload)).toMatchObject({ ok: true });
    expect(await register(6, payload)).toEqual({ ok: false, reason: "challenge_failed" });
    expect(await db.ticket.count({ where: { editionId: edition.id } })).toBe(1);
  });

  it("refuses a solution once its challenge has expired", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const issued = new Date(Date.now() - (CHALLENGE_SECONDS + 1) * 1000);
    const payload = await solvedPayload(issued);
    const guard = guardRegistration(db, { clientKey: "198.51.100.2", challenge: payload }, ON);
    expect(await registerAttendee(db, edition.slug, attendeeRequest("free"), { ...HOLD, guard })).toEqual({
      ok: false,
      reason: "challenge_failed",
    });
  });

  it("lets an organiser's API token through without a challenge", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const organiser = await upsertUser(db, { email: "integration@example.org", role: "ORGANISER" });
    const created = await createApiToken(db, organiser, { name: "crm", editionId: edition.id });
    if (!created.ok || !created.token) throw new Error("no token");
    const withToken = guardRegistration(
      db,
      { clientKey: "198.51.100.3", challenge: null, authorization: `Bearer ${created.token}` },
      ON,
    );
    expect(
      await registerAttendee(db, edition.slug, attendeeRequest("free", 1), { ...HOLD, guard: withToken }),
    ).toMatchObject({ ok: true });
    const badToken = guardRegistration(
      db,
      { clientKey: "198.51.100.3", challenge: null, authorization: "Bearer gch_" + "x".repeat(43) },
      ON,
    );
    expect(await registerAttendee(db, edition.slug, attendeeRequest("free", 2), { ...HOLD, guard: badToken })).toEqual({
      ok: false,
      reason: "challenge_failed",
    });
  });
});

describe("per-client limits", () => {
  it("limits registrations per client and hour, one client at a time", async () => {
    const edition = await createEdition(db, { capacity: 50 });
    const defences = { ...OFF, registrationsPerClientPerHour: 3 };
    const now = new Date("2027-02-01T10:00:00Z");
    const register = (n: number, clientKey: string | null, at = now) =>
      registerAttendee(db, edition.slug, attendeeRequest("free", n), {
        ...HOLD,
        now: at,
        guard: guardRegistration(db, { clientKey, challenge: null }, defences),
      });
    for (let n = 1; n <= 3; n++) expect(await register(n, "203.0.113.9")).toMatchObject({ ok: true });
    expect(await register(4, "203.0.113.9")).toEqual({ ok: false, reason: "rate_limited" });
    expect(await register(5, "203.0.113.10")).toMatchObject({ ok: true });
    expect(await register(6, "203.0.113.9", new Date(now.getTime() + 3601_000))).toMatchObject({ ok: true });
    // An address that cannot be told is not one shared bucket: nobody can use it up for everyone.
    for (let n = 7; n <= 11; n++) expect(await register(n, null)).toMatchObject({ ok: true });
  });

  it("counts an attempt the placement refuses, and not one the sold-out answer stops before", async () => {
    const edition = await createEdition(db, { capacity: 2 });
    const defences = { ...OFF, registrationsPerClientPerHour: 3 };
    const register = (n: number) =>
      registerAttendee(db, edition.slug, attendeeRequest("free", n), {
        ...HOLD,
        guard: guardRegistration(db, { clientKey: "203.0.113.77", challenge: null }, defences),
      });
    expect(await register(1)).toMatchObject({ ok: true });
    // Counted where the order is placed, and kept when that refuses it.
    expect(await register(1)).toMatchObject({ ok: false, reason: "already_registered" });
    expect(await register(2)).toMatchObject({ ok: true });
    // Sold out from the counters, before anything is spent: the limit is still at 3 of 3.
    expect(await register(3)).toMatchObject({ ok: false, reason: "sold_out" });
    await db.order.updateMany({ where: { editionId: edition.id }, data: { status: "CANCELLED" } });
    await db.ticket.updateMany({ where: { editionId: edition.id }, data: { status: "CANCELLED" } });
    expect(await register(4)).toEqual({ ok: false, reason: "rate_limited" });
    expect(await db.ticket.count({ where: { editionId: edition.id } })).toBe(2);
  });

  it("caps the unpaid seats one client holds at once, even when it fires them in parallel", async () => {
    const edition = await createEdition(db, {
      capacity: 50,
      ticketTypes: [{ code: "paid", priceCents: 4900 }, { code: "free" }],
    });
    const defences = { ...OFF, unpaidHoldsPerClient: 2 };
    const now = new Date();
    const pools = [newClient(5), newClient(5)];
    const register = (i: number, ticketType: string, clientKey: string, at = now) =>
      registerAttendee(pools[i % 2], edition.slug, attendeeRequest(ticketType, `${clientKey}-${i}`), {
        ...HOLD,
        now: at,
        guard: guardRegistration(db, { clientKey, challenge: null }, defences),
      });
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => register(i, "paid", "192.0.2.50")));
    expect(tally(burst)).toEqual({ ok: 2, too_many_unpaid_holds: 6 });
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(2);
    expect(await register(20, "paid", "192.0.2.51")).toMatchObject({ ok: true });
    expect(await register(21, "free", "192.0.2.50")).toMatchObject({ ok: true });
    // Once paid or lapsed, a hold no longer counts.
    const held = burst.find((result) => result.ok);
    if (!held?.ok) throw new Error("no hold");
    await db.order.update({ where: { id: held.order.id }, data: { status: "CONFIRMED", confirmedAt: now } });
    expect(await register(22, "paid", "192.0.2.50")).toMatchObject({ ok: true });
    expect(await register(23, "paid", "192.0.2.50")).toEqual({ ok: false, reason: "too_many_unpaid_holds" });
    // Holds lapse on the database's clock, as every hold decision.
    await db.order.updateMany({
      where: { editionId: edition.id, status: "PENDING" },
      data: { holdExpiresAt: new Date(Date.now() - 1000) },
    });
    expect(await register(24, "paid", "192.0.2.50")).toMatchObject({ ok: true });
  });
});
