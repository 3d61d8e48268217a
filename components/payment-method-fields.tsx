"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { describedBy, FieldErrors } from "./field-errors";

/** How an order with paid tickets may be paid, as the registration page found it. */
export type PaymentChoice = {
  /** "Paid tickets are held N minutes": a card payment's hold. */
  heldNote: string;
  /** The deadline a transfer ordered now would get, as shown in the edition's zone; null: card only. */
  transferDeadline: string | null;
};

/**
 * Card or bank transfer, where the edition takes transfers: a card is paid at once on Stripe; a transfer gets a
 * quote with the organiser's bank details, and the seats wait until its deadline.
 */
export function PaymentMethodFields({
  payment,
  values,
  errors,
}: {
  payment: PaymentChoice;
  values: Record<string, string>;
  errors: Record<string, string[] | undefined>;
}) {
  const t = useTranslations("transferPayment");
  const [method, setMethod] = useState(values.paymentMethod === "transfer" ? "transfer" : "card");
  if (!payment.transferDeadline) return <p className="muted">{payment.heldNote}</p>;
  return (
    <fieldset id="field-paymentMethod" aria-describedby={describedBy(errors.paymentMethod && "error-paymentMethod")}>
      <legend>{t("legend")}</legend>
      <label className="choice">
        <input
          type="radio"
          name="paymentMethod"
          value="card"
          checked={method === "card"}
          onChange={() => setMethod("card")}
        />
        <span className="choice-name">{t("card")}</span>
        <span className="choice-note">{payment.heldNote}</span>
      </label>
      <label className="choice">
        <input
          type="radio"
          name="paymentMethod"
          value="transfer"
          checked={method === "transfer"}
          onChange={() => setMethod("transfer")}
        />
        <span className="choice-name">{t("transfer")}</span>
        <span className="choice-note">{t("transferHint", { deadline: payment.transferDeadline })}</span>
      </label>
      <FieldErrors id="error-paymentMethod" codes={errors.paymentMethod} />
    </fieldset>
  );
}
