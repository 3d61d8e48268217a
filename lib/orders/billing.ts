import { z } from "zod";
import { emailAddress, optionalLine, requiredLine } from "@/lib/forms/fields";
import { checkSiren, checkSiret, checkVatNumber, type IdentifierCheck } from "@/lib/invoices/identifiers";

// EU member states (VAT prefixes: Greece's is EL), whose buyers' VAT numbers are checked against their country.
const EU = new Set("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split(" "));
const vatPrefixOf = (country: string) => (country === "GR" ? "EL" : country);

const REGIONS = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

/** An ISO 3166 country code that names a country (not "XX", not a continent). */
const countryCode = requiredLine(2)
  .toUpperCase()
  .refine((code) => /^[A-Z]{2}$/.test(code) && REGIONS.of(code) !== undefined, { error: "invalid_country" });

// Each identifier check's reason, as the field error the form and the API show.
const IDENTIFIER_ERRORS: Record<Exclude<IdentifierCheck, { ok: true }>["reason"], string> = {
  empty: "required",
  invalid_format: "invalid_format",
  invalid_checksum: "invalid_checksum",
  unknown_country: "invalid_country",
};

/**
 * "Buying for an organisation": who the invoice is made out to. A French buyer gives its SIREN or SIRET (a public
 * body its SIRET, which Chorus Pro needs); an EU buyer may give its VAT number, checked for its country's format
 * and key (not against VIES, which this server cannot reach). The accounts email, when given, gets the invoice as
 * well as the buyer; the purchase order number and, for a public buyer, the Chorus Pro service code and
 * engagement number are printed on the invoice and carried in its XML.
 */
export const billingSchema = z
  .object(
    {
      organisation: requiredLine(200),
      address: requiredLine(200),
      addressMore: optionalLine(200),
      postcode: requiredLine(20),
      city: requiredLine(100),
      country: countryCode,
      siren: optionalLine(20),
      siret: optionalLine(20),
      vatNumber: optionalLine(20),
      purchaseOrder: optionalLine(50),
      // Left empty in a form: none.
      accountsEmail: z
        .preprocess(
          (value) => (typeof value === "string" && value.trim() === "" ? null : value),
          emailAddress.nullish(),
        )
        .transform((value) => value ?? null),
      serviceCode: optionalLine(100),
      engagementNumber: optionalLine(50),
    },
    { error: "invalid_type" },
  )
  .transform((billing, context) => {
    const checked = (field: "siren" | "siret" | "vatNumber", check: (typed: string) => IdentifierCheck) => {
      const typed = billing[field];
      if (typed === null) return null;
      const result = check(typed);
      if (result.ok) return result.value;
      context.addIssue({ code: "custom", path: [field], message: IDENTIFIER_ERRORS[result.reason] });
      return null;
    };
    const siret = checked("siret", checkSiret);
    const siren = checked("siren", checkSiren) ?? siret?.slice(0, 9) ?? null;
    const vatNumber = checked("vatNumber", checkVatNumber);
    if (siret && billing.siren && siren !== siret.slice(0, 9))
      context.addIssue({ code: "custom", path: ["siret"], message: "siret_not_of_siren" });
    if (billing.country === "FR" && billing.siren === null && billing.siret === null)
      context.addIssue({ code: "custom", path: ["siren"], message: "siren_or_siret_required" });
    if (vatNumber && (!EU.has(billing.country) || !vatNumber.startsWith(vatPrefixOf(billing.country))))
      context.addIssue({ code: "custom", path: ["vatNumber"], message: "vat_number_not_of_country" });
    return { ...billing, siren, siret, vatNumber };
  });

export type Billing = z.output<typeof billingSchema>;
