import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { upsertUser } from "@/lib/auth/users";
import { registerAttendee } from "@/lib/orders/register";
import { erasedCountsFrom, erasedQuery, searchAddress } from "./overview";
import { completeRequest, requestErasure } from "./requests";

const { db } = await useTestDatabase();
const admin = await upsertUser(db, { email: "dpo@example.org", role: "ADMIN" });

describe("the back office's search by address", () => {
  it("asks nothing of an empty field", async () => {
    expect(await searchAddress(db, undefined, new Date())).toEqual({ kind: "none" });
    expect(await searchAddress(db, "  ", new Date())).toEqual({ kind: "none" });
  });

  it("keeps a text that is no address, with the field's error", async () => {
    expect(await searchAddress(db, "not-an-address", new Date())).toEqual({
      kind: "invalid",
      typed: "not-an-address",
      error: "invalid_email",
    });
  });

  it("says an address holds nothing, or what it holds", async () => {
    const address = `Ada.${randomUUID()}@Example.org`;
    expect(await searchAddress(db, address, new Date())).toEqual({ kind: "nothing", email: address.toLowerCase() });

    // A closed request keeps a hash, not the address: nothing to act on. An open one is.
    await db.$transaction((tx) => completeRequest(tx, "ACCESS", address.toLowerCase(), admin, new Date()));
    expect(await searchAddress(db, address, new Date())).toMatchObject({ kind: "nothing" });
    await db.$transaction((tx) => requestErasure(tx, address.toLowerCase(), new Date()));
    expect(await searchAddress(db, address, new Date())).toMatchObject({ kind: "found" });

    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "free" }] });
    const attendee = { firstName: "Ada", lastName: "Lovelace", email: address, company: null };
    const registered = await registerAttendee(
      db,
      edition.slug,
      { attendee, ticketType: "free", locale: "en" },
      { holdMinutes: 35 },
    );
    expect(registered.ok).toBe(true);
    const found = await searchAddress(db, ` ${address} `, new Date());
    expect(found).toMatchObject({
      kind: "found",
      email: address.toLowerCase(),
      overview: { counts: { orders: 1, tickets: 1, requests: 2 } },
    });
  });
});

describe("an erasure's counts, back on the search", () => {
  it("travel as one parameter and come back, anything else ignored", () => {
    const counts = { tickets: 4, orders: 3, entries: 1, cancelled: 2 };
    expect(erasedQuery(counts)).toEqual({ erased: "4.3.1.2" });
    expect(erasedCountsFrom(erasedQuery(counts).erased)).toEqual(counts);
    expect(erasedCountsFrom(undefined)).toBeNull();
    expect(erasedCountsFrom("4.3.1")).toBeNull();
    expect(erasedCountsFrom("4.3.1.x")).toBeNull();
  });
});
