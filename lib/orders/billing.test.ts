import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "@/lib/forms/fields";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createEdition } from "@/devtools/testing/fixtures";
import { billingSchema } from "./billing";
import { registerAttendee } from "./register";

const { db } = await useTestDatabase();

const company = {
  organisation: "Acme SAS",
  address: "12 rue de la Paix",
  postcode: "75002",
  city: "Paris",
  country: "fr",
  siren: "732 829 320",
  vatNumber: "fr 44 732 829 320",
  purchaseOrder: "PO-4500012345",
  accountsEmail: "Compta@Acme.example",
};

const errorsOf = (input: object) => {
  const parsed = billingSchema.safeParse(input);
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
};

describe("buying for an organisation", () => {
  it("takes a French company's details, normalised, and a foreign buyer's without French numbers", () => {
    expect(billingSchema.parse(company)).toEqual({
      ...company,
      addressMore: null,
      country: "FR",
      siren: "732829320",
      siret: null,
      vatNumber: "FR44732829320",
      accountsEmail: "compta@acme.example",
      serviceCode: null,
      engagementNumber: null,
    });
    // A SIRET gives the SIREN; a German buyer gives a German VAT number; an American none.
    expect(billingSchema.parse({ ...company, siren: null, siret: "73282932000074" }).siren).toBe("732829320");
    expect(billingSchema.safeParse({ ...company, country: "DE", siren: null, vatNumber: "DE136695976" }).success).toBe(
      true,
    );
    expect(billingSchema.safeParse({ ...company, country: "US", siren: null, vatNumber: null }).success).toBe(true);
  });

  it("says per field what is wrong", () => {
    expect(errorsOf({ ...company, siren: null })).toEqual({ siren: ["siren_or_siret_required"] });
    expect(errorsOf({ ...company, siren: "732829321" })).toEqual({ siren: ["invalid_checksum"] });
    expect(errorsOf({ ...company, siret: "55210055400013" })).toEqual({ siret: ["siret_not_of_siren"] });
    expect(errorsOf({ ...company, vatNumber: "DE136695976" })).toEqual({ vatNumber: ["vat_number_not_of_country"] });
    expect(errorsOf({ ...company, country: "US", siren: null })).toEqual({
      vatNumber: ["vat_number_not_of_country"],
    });
    expect(errorsOf({ ...company, country: "XX" })).toMatchObject({ country: ["invalid_country"] });
    expect(errorsOf({ ...company, accountsEmail: "compta@" })).toEqual({ accountsEmail: ["invalid_email"] });
    // As a form sends what was left empty; and a wrong key is told beside the other fields' errors.
    expect(errorsOf({ ...company, accountsEmail: "", siret: "", siren: "732829321" })).toEqual({
      siren: ["invalid_checksum"],
    });
    expect(errorsOf({ ...company, organisation: " ", city: undefined })).toEqual({
      organisation: ["required"],
      city: ["required"],
    });
  });

  it("is kept with the order it was given with; bad details hold nothing", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const buyer = { firstName: "Ada", lastName: "Office", email: "ada.office@acme.example", company: "Acme" };
    const ticket = (n: number) => ({
      ticketType: "free",
      attendee: { firstName: "Team", lastName: `Member ${n}`, email: `member${n}@acme.example`, company: null },
    });
    const order = (billing: object) => ({ buyer, tickets: [ticket(1), ticket(2)], locale: "fr", billing });

    const refused = await registerAttendee(db, edition.slug, order({ ...company, siren: "123" }), { holdMinutes: 35 });
    expect(refused).toEqual({ ok: false, reason: "invalid", fieldErrors: { "billing.siren": ["invalid_format"] } });
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(0);

    const placed = await registerAttendee(db, edition.slug, order(company), { holdMinutes: 35 });
    if (!placed.ok) throw new Error(placed.reason);
    const billing = await db.orderBilling.findUniqueOrThrow({ where: { orderId: placed.order.id } });
    expect(billing).toMatchObject({
      organisation: "Acme SAS",
      country: "FR",
      siren: "732829320",
      vatNumber: "FR44732829320",
      purchaseOrder: "PO-4500012345",
      accountsEmail: "compta@acme.example",
    });
    // An individual's order has none.
    const individual = await registerAttendee(
      db,
      edition.slug,
      { ...order(company), billing: null, tickets: [ticket(3)] },
      {
        holdMinutes: 35,
      },
    );
    if (!individual.ok) throw new Error(individual.reason);
    expect(await db.orderBilling.count({ where: { orderId: individual.order.id } })).toBe(0);
  });
});
