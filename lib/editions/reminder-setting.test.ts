import { describe, expect, it } from "vitest";
import { createEdition, editionFormFields } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { createEdition as createEditionFromForm, updateEdition } from "./manage";

const { db } = await useTestDatabase();
const actor = { id: "00000000-0000-4000-8000-000000000001", email: "organiser@example.org" };

let slugs = 0;
const editionForm = (overrides: Record<string, string> = {}) =>
  editionFormFields(`reminders-${++slugs}-${Date.now().toString(36)}`, overrides);

describe("the reminder of unnamed tickets in the edition form", () => {
  it("is 7 days for a new edition, typed in days, empty for none", async () => {
    const created = await createEditionFromForm(db, actor, editionForm());
    expect(created).toMatchObject({ ok: true, edition: { unnamedReminderDays: 7 } });
    const typed = await createEditionFromForm(db, actor, editionForm({ unnamedReminderDays: " 14 " }));
    expect(typed).toMatchObject({ ok: true, edition: { unnamedReminderDays: 14 } });
    const off = await createEditionFromForm(db, actor, editionForm({ unnamedReminderDays: "" }));
    expect(off).toMatchObject({ ok: true, edition: { unnamedReminderDays: null } });
  });

  it("saves a change, audited, and leaves the setting alone when the form does not carry it", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const form = editionForm({ slug: edition.slug });
    const saved = await updateEdition(db, actor, edition.id, { ...form, unnamedReminderDays: "3" });
    expect(saved).toMatchObject({ ok: true, edition: { unnamedReminderDays: 3 } });
    expect(await updateEdition(db, actor, edition.id, form)).toMatchObject({ edition: { unnamedReminderDays: 3 } });
    const off = await updateEdition(db, actor, edition.id, { ...form, unnamedReminderDays: "" });
    expect(off).toMatchObject({ ok: true, edition: { unnamedReminderDays: null } });
    const changes = await db.auditEntry.findMany({
      where: { editionId: edition.id, action: "edition.updated" },
      orderBy: { createdAt: "asc" },
    });
    expect(changes.map((entry) => [entry.before, entry.after])).toEqual(
      expect.arrayContaining([
        [expect.objectContaining({ unnamedReminderDays: 7 }), expect.objectContaining({ unnamedReminderDays: 3 })],
        [{ unnamedReminderDays: 3 }, { unnamedReminderDays: null }],
      ]),
    );
  });

  it("refuses anything but 1 to 90 whole days, with an error that says so in both languages", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    for (const days of ["0", "91", "-3", "2.5", "seven", "007"]) {
      const result = await updateEdition(
        db,
        actor,
        edition.id,
        editionForm({ slug: edition.slug, unnamedReminderDays: days }),
      );
      expect(result, days).toEqual({
        ok: false,
        reason: "invalid",
        fieldErrors: { unnamedReminderDays: ["reminder_days_range"] },
      });
    }
    expect((await db.edition.findUniqueOrThrow({ where: { id: edition.id } })).unnamedReminderDays).toBe(7);
    await expect(db.edition.update({ where: { id: edition.id }, data: { unnamedReminderDays: 91 } })).rejects.toThrow(
      /Edition_unnamed_reminder_days/,
    );
    expect(en.unnamedReminder.fieldError.reminder_days_range).toMatch(/1 to 90/);
    expect(fr.unnamedReminder.fieldError.reminder_days_range).toMatch(/entre 1 et 90/);
  });
});
