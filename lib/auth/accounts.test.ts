import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { authenticateApiToken, createApiToken, listApiTokensFor, revokeApiToken } from "./api-tokens";
import { listUsers, saveUser, setUserDisabled } from "./manage-users";
import { upsertUser } from "./users";

const { db } = await useTestDatabase();

describe("back-office accounts", () => {
  it("creates users with a role and edition assignments; an admin cannot demote or disable themselves", async () => {
    const admin = await upsertUser(db, { email: "admin@example.org", role: "ADMIN" });
    const edition = await createEdition(db, { capacity: 5 });
    const created = await saveUser(db, admin, null, {
      email: "Door@Example.org",
      role: "CHECKIN_STAFF",
      password: "",
      editionIds: [edition.id],
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(
      await db.user.findUniqueOrThrow({ where: { id: created.userId }, include: { editions: true } }),
    ).toMatchObject({ email: "door@example.org", passwordHash: null, editions: [{ editionId: edition.id }] });
    expect(await saveUser(db, admin, null, { email: "door@example.org", role: "ORGANISER" })).toEqual({
      ok: false,
      reason: "email_taken",
    });
    expect(
      await saveUser(db, admin, null, { email: "x@example.org", role: "ORGANISER", password: "short" }),
    ).toMatchObject({ ok: false, fieldErrors: { password: ["password_too_short"] } });
    expect(await saveUser(db, admin, admin.id, { email: admin.email, role: "ORGANISER" })).toEqual({
      ok: false,
      reason: "not_yourself",
    });
    expect(await setUserDisabled(db, admin, admin.id, true)).toEqual({ ok: false, reason: "not_yourself" });
  });

  it("disabling a user ends their sessions at once", async () => {
    const admin = await upsertUser(db, { email: "admin2@example.org", role: "ADMIN" });
    const organiser = await upsertUser(db, { email: "leaving@example.org", role: "ORGANISER" });
    await db.session.create({
      data: { sessionToken: "session-of-leaving", userId: organiser.id, expires: new Date(Date.now() + 3600_000) },
    });
    expect((await setUserDisabled(db, admin, organiser.id, true)).ok).toBe(true);
    expect(await db.session.count({ where: { userId: organiser.id } })).toBe(0);
    expect(await db.auditEntry.count({ where: { subjectId: organiser.id, action: "user.disabled" } })).toBe(1);
  });
});

describe("API tokens", () => {
  it("makes check-in tokens for one edition only", async () => {
    const organiser = await upsertUser(db, { email: "door-devices@example.org", role: "ORGANISER" });
    const edition = await createEdition(db, { capacity: 5 });
    expect(await createApiToken(db, organiser, { name: "door", scope: "CHECKIN" })).toMatchObject({
      ok: false,
      fieldErrors: { editionId: ["edition_required"] },
    });
    const created = await createApiToken(db, organiser, { name: "door", scope: "CHECKIN", editionId: edition.id });
    if (!created.ok || !created.token) throw new Error("no token");
    expect(await authenticateApiToken(db, `Bearer ${created.token}`, edition.id, new Date(), "CHECKIN")).toMatchObject({
      ok: true,
    });
    expect(await authenticateApiToken(db, `Bearer ${created.token}`, edition.id)).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("authenticates a live token for its edition only, never after revocation or when its owner is gone", async () => {
    const organiser = await upsertUser(db, { email: "scripts@example.org", role: "ORGANISER" });
    const [mine, other] = [await createEdition(db, { capacity: 5 }), await createEdition(db, { capacity: 5 })];
    const created = await createApiToken(db, organiser, { name: "badges", editionId: mine.id });
    if (!created.ok || !created.token) throw new Error("no token");
    const header = `Bearer ${created.token}`;
    expect(await db.apiToken.count({ where: { tokenHash: created.token } })).toBe(0);
    expect(await authenticateApiToken(db, header, mine.id)).toMatchObject({ ok: true, editionId: mine.id });
    expect(await authenticateApiToken(db, header, mine.id, new Date(), "CHECKIN")).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await authenticateApiToken(db, header, other.id)).toEqual({ ok: false, reason: "other_edition" });
    expect(await authenticateApiToken(db, `Bearer ${created.token.slice(0, -1)}x`, mine.id)).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await authenticateApiToken(db, null, mine.id)).toEqual({ ok: false, reason: "invalid" });

    await db.user.update({ where: { id: organiser.id }, data: { role: "CHECKIN_STAFF" } });
    expect(await authenticateApiToken(db, header, mine.id)).toEqual({ ok: false, reason: "invalid" });
    await db.user.update({ where: { id: organiser.id }, data: { role: "ORGANISER" } });

    const token = await db.apiToken.findFirstOrThrow({ where: { createdById: organiser.id } });
    const stranger = await upsertUser(db, { email: "stranger@example.org", role: "ORGANISER" });
    expect(await revokeApiToken(db, stranger, token.id)).toEqual({ ok: false, reason: "not_found" });
    expect(await revokeApiToken(db, organiser, token.id)).toEqual({ ok: true });
    expect(await authenticateApiToken(db, header, mine.id)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("what the back-office lists show", () => {
  it("lists an organiser's own API tokens, and everyone's to an admin", async () => {
    const admin = await upsertUser(db, { email: "token-admin@example.org", role: "ADMIN" });
    const [mine, theirs] = [
      await upsertUser(db, { email: "token-mine@example.org", role: "ORGANISER" }),
      await upsertUser(db, { email: "token-theirs@example.org", role: "ORGANISER" }),
    ];
    await createApiToken(db, mine, { name: "mine" });
    await createApiToken(db, theirs, { name: "theirs" });
    expect((await listApiTokensFor(db, mine)).map((token) => token.name)).toEqual(["mine"]);
    const all = (await listApiTokensFor(db, admin)).map((token) => token.createdBy.email);
    expect(all).toEqual(expect.arrayContaining(["token-mine@example.org", "token-theirs@example.org"]));
  });

  it("lists the accounts to an admin only, active ones first", async () => {
    const admin = await upsertUser(db, { email: "list-admin@example.org", role: "ADMIN" });
    const organiser = await upsertUser(db, { email: "list-organiser@example.org", role: "ORGANISER" });
    await setUserDisabled(db, admin, organiser.id, true);
    const listed = await listUsers(db, admin);
    expect(listed.findIndex((user) => user.id === admin.id)).toBeLessThan(
      listed.findIndex((user) => user.id === organiser.id),
    );
    expect(listed.at(-1)?.disabledAt).not.toBeNull();
    expect(await listUsers(db, organiser)).toEqual([]);
  });
});
