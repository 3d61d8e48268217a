import { describe, expect, it } from "vitest";
import { upsertUser } from "@/lib/auth/users";
import { createEdition, editionFormFields, organiserProfileForm } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { updateEdition } from "./manage";

const { db } = await useTestDatabase();
const actor = { id: "00000000-0000-4000-8000-000000000001", email: "organiser@example.org" };

const transferForm = (slug: string, transfer: Record<string, string>) => ({
  ...editionFormFields(slug),
  transferDays: "14",
  transferClosesDaysBefore: "7",
  ...transfer,
});

describe("paying by bank transfer in the edition form", () => {
  // First: this file's database has no invoicing settings yet.
  it("cannot be turned on before the invoicing settings (the IBAN and BIC quotes print) exist", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const on = transferForm(edition.slug, { transferEnabled: "on", nameEn: "Renamed" });
    expect(await updateEdition(db, actor, edition.id, on)).toEqual({
      ok: false,
      reason: "transfer_needs_invoicing",
      fieldErrors: { transferEnabled: ["transfer_needs_invoicing"] },
    });
    const row = await db.edition.findUniqueOrThrow({ where: { id: edition.id } });
    expect(row).toMatchObject({ transferDays: null, nameEn: edition.nameEn });
    expect(await db.auditEntry.count({ where: { editionId: edition.id } })).toBe(0);

    // Off, it saves as ever.
    const off = transferForm(edition.slug, { transferClosesDaysBefore: "10" });
    expect(await updateEdition(db, actor, edition.id, off)).toMatchObject({
      ok: true,
      edition: { transferDays: null, transferClosesDaysBefore: 10 },
    });
  });

  it("saves days to pay and the last days before the start once the settings exist, audited", async () => {
    const admin = await upsertUser(db, { email: "admin@example.org", role: "ADMIN" });
    expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
    const edition = await createEdition(db, { capacity: 10 });
    const on = transferForm(edition.slug, { transferEnabled: "on", transferDays: "21", transferClosesDaysBefore: "0" });
    expect(await updateEdition(db, actor, edition.id, on)).toMatchObject({
      ok: true,
      edition: { transferDays: 21, transferClosesDaysBefore: 0 },
    });
    // A form without the block leaves it as it is; unticked turns transfer off.
    expect(await updateEdition(db, actor, edition.id, editionFormFields(edition.slug))).toMatchObject({
      edition: { transferDays: 21 },
    });
    const off = transferForm(edition.slug, { transferDays: "21", transferClosesDaysBefore: "0" });
    expect(await updateEdition(db, actor, edition.id, off)).toMatchObject({ edition: { transferDays: null } });
    const changes = await db.auditEntry.findMany({
      where: { editionId: edition.id, action: "edition.updated" },
      orderBy: { createdAt: "asc" },
    });
    expect(changes.map((entry) => [entry.before, entry.after])).toEqual([
      [
        expect.objectContaining({ transferDays: null, transferClosesDaysBefore: 7 }),
        expect.objectContaining({ transferDays: 21, transferClosesDaysBefore: 0 }),
      ],
      [{ transferDays: 21 }, { transferDays: null }],
    ]);
  });

  it("refuses days out of range, each at its field, in both languages, and changes nothing", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const cases: [Record<string, string>, Record<string, string[]>][] = [
      [{ transferDays: "0" }, { transferDays: ["transfer_days_range"] }],
      // One day would be saved and never offered: under two days to pay, transferDeadline gives none.
      [{ transferDays: "1" }, { transferDays: ["transfer_days_range"] }],
      [{ transferDays: "61" }, { transferDays: ["transfer_days_range"] }],
      [{ transferDays: "" }, { transferDays: ["transfer_days_range"] }],
      [{ transferDays: "2.5" }, { transferDays: ["transfer_days_range"] }],
      [{ transferClosesDaysBefore: "61" }, { transferClosesDaysBefore: ["transfer_closes_range"] }],
      [{ transferClosesDaysBefore: "-1" }, { transferClosesDaysBefore: ["transfer_closes_range"] }],
      [{ transferClosesDaysBefore: "" }, { transferClosesDaysBefore: ["transfer_closes_range"] }],
    ];
    for (const [typed, fieldErrors] of cases) {
      const form = transferForm(edition.slug, { transferEnabled: "on", ...typed });
      expect(await updateEdition(db, actor, edition.id, form), JSON.stringify(typed)).toEqual({
        ok: false,
        reason: "invalid",
        fieldErrors,
      });
    }
    expect(await db.edition.findUniqueOrThrow({ where: { id: edition.id } })).toMatchObject({
      transferDays: null,
      transferClosesDaysBefore: 7,
    });
    for (const catalogue of [en, fr]) {
      const words = catalogue.transferAdmin.fieldError;
      expect([words.transfer_days_range, words.transfer_closes_range, words.transfer_needs_invoicing]).not.toContain(
        undefined,
      );
    }
  });
});
