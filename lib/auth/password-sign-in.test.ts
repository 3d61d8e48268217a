import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { FAILED_SIGN_INS_PER_ADDRESS, FAILED_SIGN_INS_PER_CLIENT, signInWithPassword } from "./password-sign-in";
import { upsertUser } from "./users";

const { db, newClient } = await useTestDatabase();

describe("signInWithPassword", () => {
  it("signs in with the right password, whatever the case of the address, and refuses a wrong one", async () => {
    await upsertUser(db, { email: "Org.One@Example.org", role: "ORGANISER", password: "correct horse battery" });
    expect(
      await signInWithPassword(db, { email: "org.one@example.org", password: "correct horse battery", clientKey: "a" }),
    ).toMatchObject({ ok: true, user: { email: "org.one@example.org", role: "ORGANISER" } });
    expect(
      await signInWithPassword(db, {
        email: "ORG.ONE@example.org ",
        password: "correct horse battery",
        clientKey: "a",
      }),
    ).toMatchObject({ ok: true });
    expect(await signInWithPassword(db, { email: "org.one@example.org", password: "wrong", clientKey: "a" })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("refuses unknown addresses, link-only accounts and disabled accounts alike", async () => {
    await upsertUser(db, { email: "link.only@example.org", role: "ORGANISER" });
    const disabled = await upsertUser(db, {
      email: "gone@example.org",
      role: "ADMIN",
      password: "correct horse battery",
    });
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    for (const email of ["nobody@example.org", "link.only@example.org", "gone@example.org"]) {
      expect(await signInWithPassword(db, { email, password: "correct horse battery", clientKey: "b" })).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
  });

  it("after too many failures for an address, refuses even the right password until the window passes", async () => {
    await upsertUser(db, { email: "target@example.org", role: "ADMIN", password: "the real password" });
    const now = new Date("2027-01-01T10:00:00Z");
    for (let i = 0; i < FAILED_SIGN_INS_PER_ADDRESS; i++) {
      expect(
        await signInWithPassword(
          db,
          { email: "target@example.org", password: `guess ${i}`, clientKey: `client-${i}` },
          now,
        ),
      ).toEqual({ ok: false, reason: "invalid" });
    }
    expect(
      await signInWithPassword(
        db,
        { email: "target@example.org", password: "the real password", clientKey: "fresh" },
        now,
      ),
    ).toEqual({ ok: false, reason: "rate_limited" });
    const later = new Date(now.getTime() + 16 * 60_000);
    expect(
      await signInWithPassword(
        db,
        { email: "target@example.org", password: "the real password", clientKey: "fresh" },
        later,
      ),
    ).toMatchObject({ ok: true });
  });

  it("limits failures from one client across addresses", async () => {
    await upsertUser(db, { email: "victim@example.org", role: "ADMIN", password: "the real password" });
    const now = new Date("2027-02-01T10:00:00Z");
    for (let i = 0; i < FAILED_SIGN_INS_PER_CLIENT; i++)
      await signInWithPassword(db, { email: `spray${i}@example.org`, password: "x", clientKey: "sprayer" }, now);
    expect(
      await signInWithPassword(
        db,
        { email: "victim@example.org", password: "the real password", clientKey: "sprayer" },
        now,
      ),
    ).toEqual({ ok: false, reason: "rate_limited" });
    expect(
      await signInWithPassword(
        db,
        { email: "victim@example.org", password: "the real password", clientKey: "someone-else" },
        now,
      ),
    ).toMatchObject({ ok: true });
  });
});

describe("signInWithPassword under a burst", () => {
  it("verifies no more parallel guesses than the limit, then refuses even the right password", async () => {
    await upsertUser(db, { email: "burst@example.org", role: "ADMIN", password: "the real password" });
    const now = new Date("2027-03-01T10:00:00Z");
    const pools = [newClient(10), newClient(10)];
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signInWithPassword(
          pools[i % 2],
          { email: "burst@example.org", password: `guess ${i}`, clientKey: `bot-${i}` },
          now,
        ),
      ),
    );
    expect(guesses.filter((result) => !result.ok && result.reason === "invalid")).toHaveLength(
      FAILED_SIGN_INS_PER_ADDRESS,
    );
    expect(guesses.filter((result) => !result.ok && result.reason === "rate_limited")).toHaveLength(
      20 - FAILED_SIGN_INS_PER_ADDRESS,
    );
    expect(
      await signInWithPassword(
        db,
        { email: "burst@example.org", password: "the real password", clientKey: "fresh" },
        now,
      ),
    ).toEqual({ ok: false, reason: "rate_limited" });
  });

  it("does not count successful sign-ins against the limits", async () => {
    await upsertUser(db, { email: "daily@example.org", role: "ORGANISER", password: "the real password" });
    const now = new Date("2027-04-01T10:00:00Z");
    for (let i = 0; i < FAILED_SIGN_INS_PER_ADDRESS + 2; i++) {
      expect(
        await signInWithPassword(
          db,
          { email: "daily@example.org", password: "the real password", clientKey: "office" },
          now,
        ),
      ).toMatchObject({ ok: true });
    }
  });

  it("does not put callers of unknown address in one bucket that anyone could exhaust", async () => {
    await upsertUser(db, { email: "colleague@example.org", role: "ADMIN", password: "the real password" });
    const now = new Date("2027-05-01T10:00:00Z");
    for (let i = 0; i < FAILED_SIGN_INS_PER_CLIENT + 1; i++)
      await signInWithPassword(db, { email: `spray-unknown${i}@example.org`, password: "x", clientKey: null }, now);
    expect(
      await signInWithPassword(
        db,
        { email: "colleague@example.org", password: "the real password", clientKey: null },
        now,
      ),
    ).toMatchObject({ ok: true });
  });
});
