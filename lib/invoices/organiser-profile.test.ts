import { describe, expect, it } from "vitest";
import { upsertUser } from "@/lib/auth/users";
import { organiserProfileForm } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { AUDITED_PROFILE_FIELDS, organiserProfileHistory, saveOrganiserProfile } from "./organiser-profile";
import { latePenaltyText, lineVat, paymentTermsText, sellerOf } from "./seller";

const { db } = await useTestDatabase();

const form = organiserProfileForm;

const auditEntries = () =>
  db.auditEntry.findMany({ where: { subjectType: "organiser_profile" }, orderBy: { createdAt: "asc" } });

describe("the organiser's invoicing settings", () => {
  it("are refused to an organiser and to check-in staff, who save nothing", async () => {
    for (const role of ["ORGANISER", "CHECKIN_STAFF"] as const) {
      const someone = await upsertUser(db, { email: `${role.toLowerCase()}@example.org`, role });
      expect(await saveOrganiserProfile(db, someone, form())).toEqual({ ok: false, reason: "forbidden" });
    }
    expect(await db.organiserProfile.count()).toBe(0);
    expect(await auditEntries()).toEqual([]);
    expect(await sellerOf(db)).toEqual({ ok: false, reason: "organiser_profile_missing" });
  });

  it("save nothing on bad input, with the reason under each field", async () => {
    const admin = await upsertUser(db, { email: "bad-input@example.org", role: "ADMIN" });
    const result = await saveOrganiserProfile(
      db,
      admin,
      form({
        legalName: " ",
        country: "QQ",
        shareCapital: "lots",
        siren: "732829321",
        siret: "1234",
        vatNumber: "FR45732829320",
        iban: "FR77 3000 6000 0112 3456 7890 189",
        bic: "BNPA",
        email: "factures",
        paymentTermDays: "90",
        latePenaltyRate: "-3",
        invoicePrefix: "GCH-",
      }),
    );
    expect(result).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: {
        legalName: ["required"],
        country: ["invalid_country"],
        shareCapital: ["invalid_amount"],
        siren: ["siren_invalid_checksum"],
        siret: ["siret_invalid_format"],
        vatNumber: ["vat_invalid_checksum"],
        iban: ["iban_invalid_checksum"],
        bic: ["bic_invalid_format"],
        email: ["invalid_email"],
        paymentTermDays: ["too_large"],
        latePenaltyRate: ["invalid_rate"],
        invoicePrefix: ["invalid_prefix"],
      },
    });
    expect(await db.organiserProfile.count()).toBe(0);
    expect(await auditEntries()).toEqual([]);
  });

  it("check the SIRET and a French VAT number against the SIREN; want a VAT number or the franchise", async () => {
    const admin = await upsertUser(db, { email: "cross-checks@example.org", role: "ADMIN" });
    const errors = async (overrides: Record<string, string>) => {
      const result = await saveOrganiserProfile(db, admin, form(overrides));
      return result.ok ? {} : "fieldErrors" in result ? result.fieldErrors : result;
    };
    // 552 100 554 is another company's SIREN; FR96552100554 its VAT number.
    expect(await errors({ siret: "55210055400013" })).toEqual({ siret: ["siret_not_of_siren"] });
    expect(await errors({ vatNumber: "FR96552100554" })).toEqual({ vatNumber: ["vat_not_of_siren"] });
    expect(await errors({ vatNumber: "" })).toEqual({ vatNumber: ["vat_number_or_franchise"] });
    expect(await errors({ vatFranchise: "on" })).toEqual({ vatNumber: ["vat_number_with_franchise"] });
    expect(await errors({ vatNumber: "GB123456789" })).toEqual({ vatNumber: ["vat_unknown_country"] });
    expect(await db.organiserProfile.count()).toBe(0);
  });

  it("are saved normalised by an admin, give the invoices' seller, and audit each change once", async () => {
    const admin = await upsertUser(db, { email: "admin@example.org", role: "ADMIN" });
    expect(await saveOrganiserProfile(db, admin, form())).toMatchObject({ ok: true });
    expect(await sellerOf(db)).toEqual({
      ok: true,
      seller: {
        legalName: "Open Cloud Paris SAS",
        address: { lines: ["327 rue de Charenton"], postcode: "75012", city: "Paris", country: "FR" },
        legalForm: "SAS",
        shareCapitalCents: 3_700_000,
        siren: "732829320",
        siret: "73282932000074",
        rcs: "RCS Paris 732 829 320",
        vatNumber: "FR44732829320",
        vatFranchise: false,
        email: "factures@example.org",
      },
      terms: {
        paymentTermDays: 30,
        latePenaltyBasisPoints: null,
        iban: "FR7630006000011234567890189",
        bic: "BNPAFRPP",
        invoicePrefix: "GCH",
      },
    });

    // The same form again changes nothing and logs nothing; a new bank account and penalty rate log just those.
    await saveOrganiserProfile(db, admin, form());
    const changed = form({ iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX", latePenaltyRate: "12,5" });
    expect(await saveOrganiserProfile(db, admin, changed)).toMatchObject({ ok: true });
    const entries = await auditEntries();
    expect(entries.map((entry) => [entry.action, entry.actorEmail, entry.editionId])).toEqual([
      ["invoicing.settings_created", "admin@example.org", null],
      ["invoicing.settings_updated", "admin@example.org", null],
    ]);
    expect(entries[0].after).toMatchObject({ siren: "732829320", shareCapitalCents: 3_700_000, vatFranchise: false });
    expect([entries[1].before, entries[1].after]).toEqual([
      { iban: "FR7630006000011234567890189", bic: "BNPAFRPP", latePenaltyBasisPoints: null },
      { iban: "DE89370400440532013000", bic: "COBADEFFXXX", latePenaltyBasisPoints: 1250 },
    ]);
    expect((await organiserProfileHistory(db)).map((entry) => entry.fields)).toEqual([
      ["iban", "bic", "latePenaltyBasisPoints"],
      expect.arrayContaining(["legalName", "siren", "invoicePrefix"]),
    ]);

    // Under the VAT franchise there is no VAT number, and every line goes without VAT whatever its type's rate.
    const franchise = form({
      vatNumber: "",
      vatFranchise: "on",
      paymentTermDays: "0",
      shareCapital: "",
      latePenaltyRate: "12,5",
    });
    expect(await saveOrganiserProfile(db, admin, franchise)).toMatchObject({ ok: true });
    const seller = await sellerOf(db);
    if (!seller.ok) throw new Error(seller.reason);
    expect(seller.seller).toMatchObject({ vatNumber: null, vatFranchise: true, shareCapitalCents: null });
    const standard = { vatRateBasisPoints: 2000, vatExemption: null };
    expect(lineVat(seller.seller, standard, "fr")).toEqual({
      vatRateBasisPoints: 0,
      exemption: "TVA non applicable, art. 293 B du CGI",
    });
    expect(lineVat({ vatFranchise: false }, standard, "en")).toEqual({ vatRateBasisPoints: 2000, exemption: null });
    const exempt = { vatRateBasisPoints: 0, vatExemption: "Exonération, art. 261-7-1° du CGI" };
    expect(lineVat({ vatFranchise: false }, exempt, "en")).toEqual({
      vatRateBasisPoints: 0,
      exemption: "Exonération, art. 261-7-1° du CGI",
    });
    expect([paymentTermsText(seller.terms, "fr"), paymentTermsText({ paymentTermDays: 30 }, "en")]).toEqual([
      "Paiement à réception",
      "Payable within 30 days",
    ]);
    expect(latePenaltyText(seller.terms, "fr")).toMatch(/^12,5\s%$/);
    expect(latePenaltyText({ latePenaltyBasisPoints: null }, "en")).toBe("three times the legal interest rate");
  });

  it.each([
    ["en", en],
    ["fr", fr],
  ])("have a label for every audited field in the audit log's words (%s)", (_, catalogue) => {
    const labels: Record<string, string> = catalogue.staffAndAudit.audit.field;
    expect(AUDITED_PROFILE_FIELDS.filter((field) => !labels[field])).toEqual([]);
  });

  it("stay one row for the installation", async () => {
    await expect(db.$executeRaw`UPDATE "OrganiserProfile" SET id = 2 WHERE id = 1`).rejects.toThrow(
      /OrganiserProfile_singleton/,
    );
  });
});
