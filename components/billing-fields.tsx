"use client";

import { useTranslations } from "next-intl";
import { TextField } from "./form-fields";

type Errors = Record<string, string[] | undefined>;

// The request's billing fields (lib/orders/billing.ts), in the order a reader fills them.
export const BILLING_FIELDS = [
  { name: "organisation", required: true, autoComplete: "organization", maxLength: 200 },
  { name: "address", required: true, autoComplete: "address-line1", maxLength: 200 },
  { name: "addressMore", required: false, autoComplete: "address-line2", maxLength: 200 },
  { name: "postcode", required: true, autoComplete: "postal-code", maxLength: 20 },
  { name: "city", required: true, autoComplete: "address-level2", maxLength: 100 },
  { name: "country", required: true, autoComplete: "country", maxLength: 2, hint: true },
  { name: "siren", required: false, autoComplete: "off", maxLength: 20, hint: true },
  { name: "siret", required: false, autoComplete: "off", maxLength: 20 },
  { name: "vatNumber", required: false, autoComplete: "off", maxLength: 20, hint: true },
  { name: "purchaseOrder", required: false, autoComplete: "off", maxLength: 50 },
  { name: "accountsEmail", required: false, autoComplete: "email", maxLength: 254, hint: true, email: true },
  { name: "serviceCode", required: false, autoComplete: "off", maxLength: 100, hint: true },
  { name: "engagementNumber", required: false, autoComplete: "off", maxLength: 50 },
] as const;

export type BillingFieldName = (typeof BILLING_FIELDS)[number]["name"];

/**
 * "Buying for an organisation": the details its invoice is made out to, folded away until asked for (or once
 * filled, or refused). Left empty, the order is an individual's, with a receipt.
 */
export function BillingFields({ values, errors }: { values: Record<string, string>; errors: Errors }) {
  const t = useTranslations("billingForm");
  const open = BILLING_FIELDS.some(
    ({ name }) => errors[`billing.${name}`] || (name !== "country" && values[`billing.${name}`]),
  );
  return (
    <details className="billing" open={open}>
      <summary>{t("summary")}</summary>
      <fieldset id="field-billing">
        <legend>{t("legend")}</legend>
        <p className="hint">{t("intro")}</p>
        {BILLING_FIELDS.map((field) => {
          const name = `billing.${field.name}`;
          const id = `field-billing-${field.name}`;
          const hint = "hint" in field ? t(`${field.name}Hint`) : undefined;
          return (
            <TextField
              key={field.name}
              id={id}
              name={name}
              label={t(field.name)}
              hint={hint}
              type={"email" in field ? "email" : "text"}
              autoComplete={field.autoComplete}
              maxLength={field.maxLength}
              required={field.required}
              codes={errors[name]}
              defaultValue={values[name] ?? (field.name === "country" ? "FR" : "")}
            />
          );
        })}
      </fieldset>
    </details>
  );
}
