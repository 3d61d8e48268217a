import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { updateReminderSettings } from "./manage";

const { db } = await useTestDatabase();

const form = (overrides: Record<string, string> = {}) => ({
  practicalInfoDays: "2",
  practicalInfoTime: "09:30",
  scheduleUrl: "https://example.org/schedule",
  mapUrl: "",
  unnamedReminderDays: "5",
  ...overrides,
});

const settingsOf = (id: string) =>
  db.edition.findUniqueOrThrow({
    where: { id },
    select: {
      practicalInfoDays: true,
      practicalInfoTime: true,
      scheduleUrl: true,
      mapUrl: true,
      unnamedReminderDays: true,
    },
  });

describe("an edition's reminder settings", () => {
  it("saves the practical information's days, time and links with the unnamed reminder, audited", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const organiser = await createOrganiser(db);
    expect(await updateReminderSettings(db, organiser, edition.id, form())).toMatchObject({ ok: true });
    expect(await settingsOf(edition.id)).toEqual({
      practicalInfoDays: 2,
      practicalInfoTime: "09:30",
      scheduleUrl: "https://example.org/schedule",
      mapUrl: null,
      unnamedReminderDays: 5,
    });
    // Off again (empty days), and the same settings twice write one entry each time something changed.
    await updateReminderSettings(db, organiser, edition.id, form({ practicalInfoDays: "", unnamedReminderDays: "" }));
    await updateReminderSettings(db, organiser, edition.id, form({ practicalInfoDays: "", unnamedReminderDays: "" }));
    const entries = await db.auditEntry.findMany({
      where: { editionId: edition.id, action: "edition.updated" },
      orderBy: { createdAt: "asc" },
    });
    expect(entries.map((entry) => [entry.actorEmail, entry.before, entry.after])).toEqual([
      [
        organiser.email,
        { practicalInfoDays: null, practicalInfoTime: "10:00", scheduleUrl: null, unnamedReminderDays: 7 },
        {
          practicalInfoDays: 2,
          practicalInfoTime: "09:30",
          scheduleUrl: "https://example.org/schedule",
          unnamedReminderDays: 5,
        },
      ],
      [
        organiser.email,
        { practicalInfoDays: 2, unnamedReminderDays: 5 },
        { practicalInfoDays: null, unnamedReminderDays: null },
      ],
    ]);
  });

  it.each([
    ["practicalInfoDays", "0", "practical_info_days_range"],
    ["practicalInfoDays", "31", "practical_info_days_range"],
    ["practicalInfoDays", "abc", "practical_info_days_range"],
    ["practicalInfoDays", "2.5", "practical_info_days_range"],
    ["practicalInfoTime", "25:00", "invalid_time"],
    ["practicalInfoTime", "9h", "invalid_time"],
    ["practicalInfoTime", "", "invalid_time"],
    ["scheduleUrl", "javascript:alert(1)", "https_only"],
    ["scheduleUrl", "http://example.org/schedule", "https_only"],
    ["mapUrl", "https://", "https_only"],
    ["mapUrl", "/venue", "https_only"],
    ["mapUrl", `https://example.org/${"x".repeat(500)}`, "too_long"],
    ["unnamedReminderDays", "91", "reminder_days_range"],
  ])("refuses %s = %j (%s) and changes nothing", async (field, value, code) => {
    const edition = await createEdition(db, { capacity: 10 });
    const before = await settingsOf(edition.id);
    const result = await updateReminderSettings(db, await createOrganiser(db), edition.id, form({ [field]: value }));
    expect(result).toEqual({ ok: false, reason: "invalid", fieldErrors: { [field]: [code] } });
    expect(await settingsOf(edition.id)).toEqual(before);
    expect(await db.auditEntry.count({ where: { editionId: edition.id } })).toBe(0);
  });

  it("answers not found for an unknown edition", async () => {
    const result = await updateReminderSettings(db, await createOrganiser(db), crypto.randomUUID(), form());
    expect(result).toEqual({ ok: false, reason: "not_found" });
  });
});
