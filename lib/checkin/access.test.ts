import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createApiToken } from "@/lib/auth/api-tokens";
import { upsertUser } from "@/lib/auth/users";
import { listScannableEditions, scannerAt } from "./access";

const { db } = await useTestDatabase();

describe("who scans where", () => {
  it("lists the doors one may scan at: staff their assigned editions, organisers all but drafts", async () => {
    const [assigned, other] = [await createEdition(db, { capacity: 5 }), await createEdition(db, { capacity: 5 })];
    const draft = await createEdition(db, { capacity: 5, status: "DRAFT" });
    const staff = await upsertUser(db, { email: `door.${crypto.randomUUID()}@example.org`, role: "CHECKIN_STAFF" });
    const organiser = await upsertUser(db, { email: `org.${crypto.randomUUID()}@example.org`, role: "ORGANISER" });
    const assignments = [assigned, draft].map((edition) => ({ editionId: edition.id, userId: staff.id }));
    await db.editionStaff.createMany({ data: assignments });

    expect((await listScannableEditions(db, staff)).map((edition) => edition.id)).toEqual([assigned.id]);
    const everyone = (await listScannableEditions(db, organiser)).map((edition) => edition.id);
    expect(everyone).toEqual(expect.arrayContaining([assigned.id, other.id]));
    expect(everyone).not.toContain(draft.id);
  });

  it("answers a device token with the scanner, or why not, as a value", async () => {
    const [door, elsewhere] = [await createEdition(db, { capacity: 5 }), await createEdition(db, { capacity: 5 })];
    const organiser = await upsertUser(db, { email: `devices.${crypto.randomUUID()}@example.org`, role: "ORGANISER" });
    const created = await createApiToken(db, organiser, { name: "door 1", scope: "CHECKIN", editionId: door.id });
    if (!created.ok || !created.token) throw new Error("no token");
    const header = `Bearer ${created.token}`;
    const device = { userId: null, apiTokenId: expect.any(String) };
    expect(await scannerAt(db, header, door.id)).toEqual({ ok: true, scanner: device });
    expect(await scannerAt(db, header, elsewhere.id)).toEqual({ ok: false, reason: "token_for_another_edition" });
    const unknown = `Bearer gch_${"x".repeat(43)}`;
    expect(await scannerAt(db, unknown, door.id)).toEqual({ ok: false, reason: "invalid_token" });
  });
});
