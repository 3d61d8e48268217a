import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/lib/testing/test-database";
import { FAILED_SIGN_INS_PER_ADDRESS, FAILED_SIGN_INS_PER_CLIENT, signInWithPassword } from "./password-sign-in";
import { upsertUser } from "./users";

const { db } = await useTestDatabase();

describe("signInWithPassword", () => {
  it("signs in with the right password, whatever the case of the address, and refuses a wrong one", async () => {
    await upsertUser(db, { email: "Org.One@Example.org", role: "ORGANISER", password: "correct horse battery" });
    expect(await signInWithPassword(db, { email: "org.one@example.org", password: "correct horse battery", clientKey: "a" })).toMatchObject({ ok: true, user: { email: "org.one@example.org", role: "ORGANISER" } });
    expect(await signInWithPassword(db, { email: "ORG.ONE@example.org ", password: "correct horse battery", clientKey: "a" })).toMatchObject({ ok: true });
    expect(await signInWithPassword(db, { email: "org.one@example.org", password: "wrong", clientKey: "a" })).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses unknown addresses, link-only accounts and disabled accounts alike", async () => {
    await upsertUser(db, { email: "link.only@example.org", role: "ORGANISER" });
    const disabled = await upsertUser(db, { email: "gone@example.org", role: "ADMIN", password: "correct horse battery" });
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    for (const email of ["nobody@example.org", "link.only@example.org", "gone@example.org"]) {
      expect(await signInWithPassword(db, { email, password: "correct horse battery", clientKey: "b" })).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("after too many failures for an address, refuses even the right password until the window passes", async () => {
    await upsertUser(db, { email: "target@example.org", role: "ADMIN", password: "the real password" });
    const now = new Date("2027-01-01T10:00:00Z");
    for (let i = 0; i < FAILED_SIGN_INS_PER_ADDRESS; i++) {
      expect(await signInWithPassword(db, { email: "target@example.org", password: `guess ${i}`, clientKey: `client-${i}` }, now)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await signInWithPassword(db, { email: "target@example.org", password: "the real password", clientKey: "fresh" }, now)).toEqual({ ok: false, reason: "rate_limited" });
    const later = new Date(now.getTime() + 16 * 60_000);
    expect(await signInWithPassword(db, { email: "target@example.org", password: "the real password", clientKey: "fresh" }, later)).toMatchObject({ ok: true });
  });

  it("limits failures from one client across addresses", async () => {
    await upsertUser(db, { email: "victim@example.org", role: "ADMIN", password: "the real password" });
    const now = new Date("2027-02-01T10:00:00Z");
    for (let i = 0; i < FAILED_SIGN_INS_PER_CLIENT; i++) await signInWithPassword(db, { email: `spray${i}@example.org`, password: "x", clientKey: "sprayer" }, now);
    expect(await signInWithPassword(db, { email: "victim@example.org", password: "the real password", clientKey: "sprayer" }, now)).toEqual({ ok: false, reason: "rate_limited" });
    expect(await signInWithPassword(db, { email: "victim@example.org", password: "the real password", clientKey: "someone-else" }, now)).toMatchObject({ ok: true });
  });
});
