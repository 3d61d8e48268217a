import { describe, expect, it } from "vitest";
import { createEdition, editionFormFields } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { AUDITED_QUEUE_FIELDS, updateEdition } from "@/lib/editions/manage";
import { queueSettingsOf } from "@/lib/editions/queue-settings";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { joinQueue } from "./queue";
import { cachedQueueState, readQueueState } from "./state";

const { db } = await useTestDatabase();
const actor = { id: "00000000-0000-4000-8000-000000000001", email: "organiser@example.org" };

describe("the waiting room in the edition's settings", () => {
  it("is off until turned on; saved with the opening in the edition's zone and the rate, audited", async () => {
    const edition = await createEdition(db, { capacity: 300 });
    expect(await queueSettingsOf(db, edition.id)).toEqual({ enabled: false, opensAt: null, admitPerSecond: 50 });
    const on = { queueEnabled: "on", queueOpensAt: "2027-03-01T10:00", queueAdmitPerSecond: "40" };
    expect(await updateEdition(db, actor, edition.id, editionFormFields(edition.slug, on))).toMatchObject({ ok: true });
    expect(await queueSettingsOf(db, edition.id)).toEqual({
      enabled: true,
      opensAt: new Date("2027-03-01T09:00:00Z"),
      admitPerSecond: 40,
    });
    // A form without the block (the new-edition form) leaves the queue alone.
    expect(await updateEdition(db, actor, edition.id, editionFormFields(edition.slug))).toMatchObject({ ok: true });
    expect((await queueSettingsOf(db, edition.id)).enabled).toBe(true);
    const off = { queueOpensAt: "", queueAdmitPerSecond: "40" };
    expect(await updateEdition(db, actor, edition.id, editionFormFields(edition.slug, off))).toMatchObject({
      ok: true,
    });
    expect(await readQueueState(db, edition.slug)).toEqual({ editionId: edition.id, queue: null });
    const entries = await db.auditEntry.findMany({
      where: { editionId: edition.id, action: "edition.updated" },
      orderBy: { createdAt: "asc" },
    });
    expect(entries.map((entry) => [entry.before, entry.after])).toEqual([
      [
        expect.objectContaining({ queueEnabled: false, queueOpensAt: null, queueAdmitPerSecond: 50 }),
        expect.objectContaining({
          queueEnabled: true,
          queueOpensAt: "2027-03-01T09:00:00.000Z",
          queueAdmitPerSecond: 40,
        }),
      ],
      [
        { queueEnabled: true, queueOpensAt: "2027-03-01T09:00:00.000Z" },
        { queueEnabled: false, queueOpensAt: null },
      ],
    ]);
  });

  it("refuses a rate outside 1 to 10,000 per second", async () => {
    const edition = await createEdition(db, { capacity: 300 });
    for (const [rate, error] of [
      ["0", "too_small"],
      ["10001", "too_large"],
      ["", "required"],
      ["fast", "invalid_number"],
    ]) {
      const result = await updateEdition(
        db,
        actor,
        edition.id,
        editionFormFields(edition.slug, { queueAdmitPerSecond: rate }),
      );
      if (result.ok || result.reason !== "invalid") throw new Error(`accepted ${rate}`);
      expect(result.fieldErrors).toEqual({ queueAdmitPerSecond: expect.arrayContaining([error]) });
    }
  });

  it("counts admissions afresh each time it is turned on: earlier places use up none of them", async () => {
    const edition = await createEdition(db, { capacity: 300 });
    const on = { queueEnabled: "on", queueAdmitPerSecond: "10" };
    await updateEdition(db, actor, edition.id, editionFormFields(edition.slug, on));
    for (let i = 0; i < 5; i++) await joinQueue(db, edition.id);
    await updateEdition(db, actor, edition.id, editionFormFields(edition.slug, { queueAdmitPerSecond: "10" }));
    await updateEdition(db, actor, edition.id, editionFormFields(edition.slug, on));
    expect(await readQueueState(db, edition.slug)).toMatchObject({ queue: { admitted: 5, seatsLeft: 300 } });
    expect(await joinQueue(db, edition.id)).toBe(6);
  });

  it("is read once per instance every 250 ms, however many buyers ask", async () => {
    const edition = await createEdition(db, { capacity: 300 });
    let now = 0;
    const cached = cachedQueueState(250, () => now);
    expect(await cached(db, edition.slug)).toEqual({ editionId: edition.id, queue: null });
    await updateEdition(
      db,
      actor,
      edition.id,
      editionFormFields(edition.slug, { queueEnabled: "on", queueAdmitPerSecond: "9" }),
    );
    now = 249;
    expect(await cached(db, edition.slug)).toEqual({ editionId: edition.id, queue: null });
    now = 250;
    expect(await cached(db, edition.slug)).toMatchObject({ queue: { admitPerSecond: 9 } });
    for (let i = 0; i < 1500; i++) await cached(db, `no-such-edition-${i}`);
    expect(cached.size()).toBeLessThanOrEqual(1000);
  });

  it.each([
    ["en", en],
    ["fr", fr],
  ])("has a label for each audited field in the audit log (%s)", (_, catalogue) => {
    const labels: Record<string, string> = catalogue.staffAndAudit.audit.field;
    expect(AUDITED_QUEUE_FIELDS.filter((field) => !labels[field])).toEqual([]);
  });
});
