import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { listDoorStaff, setEditionStaff } from "./staff";

const { db } = await useTestDatabase();
const actor = { id: "00000000-0000-4000-8000-000000000001", email: "organiser@example.org" };

describe("door staff of an edition", () => {
  it("is set by organisers, only with active check-in staff, and audited", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const other = await createEdition(db, { capacity: 10 });
    const [ana, bo, gone] = await Promise.all(
      ["ana", "bo", "gone"].map((name) =>
        db.user.create({ data: { email: `${name}-${edition.slug}@example.org`, role: "CHECKIN_STAFF" } }),
      ),
    );
    await db.user.update({ where: { id: gone.id }, data: { disabledAt: new Date() } });
    const organiser = await db.user.create({ data: { email: `org-${edition.slug}@example.org`, role: "ORGANISER" } });
    await db.editionStaff.create({ data: { editionId: other.id, userId: bo.id } });

    expect(await setEditionStaff(db, actor, edition.id, { userIds: [ana.id, bo.id, ana.id] })).toEqual({ ok: true });
    const assigned = async (editionId: string) =>
      (await db.editionStaff.findMany({ where: { editionId } })).map((row) => row.userId).sort();
    expect(await assigned(edition.id)).toEqual([ana.id, bo.id].sort());
    // Another edition's door is left alone.
    expect(await assigned(other.id)).toEqual([bo.id]);

    // A disabled account, an organiser or a made-up id: refused, and nothing changes.
    for (const userIds of [[gone.id], [organiser.id], ["00000000-0000-4000-8000-00000000dead"], ["not-an-id"]]) {
      expect((await setEditionStaff(db, actor, edition.id, { userIds })).ok).toBe(false);
    }
    expect(await assigned(edition.id)).toEqual([ana.id, bo.id].sort());

    expect(await setEditionStaff(db, actor, edition.id, { userIds: [bo.id] })).toEqual({ ok: true });
    expect(await assigned(edition.id)).toEqual([bo.id]);
    const audit = await db.auditEntry.findMany({
      where: { editionId: edition.id, action: "edition.staff" },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((entry) => entry.after)).toEqual([{ staff: [ana.email, bo.email].sort() }, { staff: [bo.email] }]);

    const listed = await listDoorStaff(db, edition.id);
    expect(
      listed
        .filter((user) => user.email.endsWith(`${edition.slug}@example.org`))
        .map((user) => [user.email, user.editions.length]),
    ).toEqual([
      [ana.email, 0],
      [bo.email, 1],
    ]);
    expect(await setEditionStaff(db, actor, "00000000-0000-4000-8000-00000000dead", { userIds: [] })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });
});
