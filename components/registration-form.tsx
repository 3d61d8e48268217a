"use client";

import { BillingFields } from "./billing-fields";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { RegistrationRefusalReason } from "@/lib/orders/registration-form";
import type { CodeRefusalReason } from "@/lib/vouchers/redeem";
import type { EmailLinkAction } from "./email-link-request-form";
import { describedBy, FieldErrors } from "./field-errors";
import {
  ATTENDEE_FIELDS,
  AttendeeFields,
  FormMessage,
  QuestionInput,
  RequiredMark,
  type QuestionField,
} from "./form-fields";
import { PaymentMethodFields, type PaymentChoice } from "./payment-method-fields";
import { ProofOfWork } from "./proof-of-work";
import { PrivacyNoticeLink } from "./privacy-notice-link";
import { usePublicForm, type PublicFormAction } from "./use-public-form";

export type { QuestionField };
export type TicketChoice = {
  code: string;
  name: string;
  price: string;
  /** The usual price, shown struck, where a code lowers it (`price` is then the price with the code). */
  listPrice?: string;
  availability: string;
  disabled: boolean;
  paid: boolean;
};

type Props = {
  action: PublicFormAction<RegistrationRefusalReason>;
  ticketTypes: TicketChoice[];
  /** A voucher's code applied on the page: sent with the registration, which prices the tickets with it. */
  code?: string;
  /** The page without the code, offered when the registration refuses it. */
  withoutCode: string;
  questions: QuestionField[];
  selectedTicketType?: string;
  /** What the attendee typed before, e.g. when they come back from a cancelled payment. */
  initialValues?: Record<string, string>;
  /** How paid tickets may be paid: shown while a paid ticket is chosen. */
  payment: PaymentChoice;
  /** Whether a proof-of-work challenge must be solved before registering (REGISTRATION_CHALLENGE). */
  challenge: boolean;
  /** "Lost ticket": offered when the address already holds a seat, with the same answer for any address. */
  resendTicket: EmailLinkAction;
  /** A waiting-list entry's token: the order takes the seats offered to it (checked again where they are taken). */
  offer?: string;
};

const DEFENCE_REFUSALS = ["rate_limited", "challenge_failed", "too_many_unpaid_holds"] as const;
type DefenceRefusal = (typeof DEFENCE_REFUSALS)[number];
const isDefenceRefusal = (reason: string): reason is DefenceRefusal =>
  DEFENCE_REFUSALS.includes(reason as DefenceRefusal);
/** A code that priced nothing: said in the code's own words (voucherCheckout.refusal). */
export const isCodeRefusal = (reason: string): reason is CodeRefusalReason => reason.startsWith("voucher_");

const OFFER_REFUSALS = ["closed", "expired", "order_running", "wrong_type", "too_many"] as const;
/** Why a waiting-list offer could not be used, in the offer's words (waitingListOffer.refusal); unknown: closed. */
export function offerRefusal(t: (key: `refusal.${(typeof OFFER_REFUSALS)[number]}`) => string, detail?: string) {
  return t(`refusal.${OFFER_REFUSALS.find((known) => known === detail) ?? "closed"}`);
}

export function RegistrationForm(props: Props) {
  const { action, ticketTypes, questions, selectedTicketType, initialValues, payment, challenge } = props;
  const { resendTicket, code, withoutCode, offer } = props;
  const t = useTranslations("register");
  const tRefusal = useTranslations("refusal");
  const tAbuse = useTranslations("abuse.refusal");
  const tCode = useTranslations("voucherCheckout");
  const tOffer = useTranslations("waitingListOffer");
  const { state, formAction, pending, values, errors } = usePublicForm(action, initialValues);
  const [chosen, setChosen] = useState(values.ticketType ?? selectedTicketType);
  const paidChosen = ticketTypes.some((ticket) => ticket.code === chosen && ticket.paid);
  // Each answer from the server spends the challenge: a new state means a new attempt to solve.
  const [answered, setAnswered] = useState(state);
  const [attempt, setAttempt] = useState(1);
  if (answered !== state) {
    setAnswered(state);
    setAttempt(attempt + 1);
  }
  const reason = state.reason;
  const message =
    reason &&
    (isDefenceRefusal(reason)
      ? tAbuse(reason)
      : isCodeRefusal(reason)
        ? `${tCode(`refusal.${reason}`)} ${tCode("refusal.nothingBooked")}`
        : reason === "offer_unavailable"
          ? offerRefusal(tOffer, state.detail)
          : tRefusal(reason));
  const removeCode = reason && isCodeRefusal(reason) ? { href: withoutCode, text: tCode("remove") } : undefined;

  return (
    <>
      <FormMessage message={message} link={removeCode} />
      {reason === "already_registered" && (
        <ResendTicketOffer action={resendTicket} email={values["attendee.email"] ?? ""} />
      )}
      <form action={formAction} className="form" noValidate>
        <p className="muted">{t("requiredNote")}</p>
        {offer && <input type="hidden" name="offer" value={offer} />}
        {code && (
          <p className="notice notice-success">
            {tCode("withCode", { code })}
            <input type="hidden" name="code" value={code} />
          </p>
        )}

        <fieldset aria-describedby={describedBy(errors.ticketType && "error-ticketType")}>
          <legend>
            {t("ticketLegend")}
            <RequiredMark />
          </legend>
          {ticketTypes.map((ticket) => (
            <label key={ticket.code} className={ticket.disabled ? "choice disabled" : "choice"}>
              <input
                type="radio"
                name="ticketType"
                value={ticket.code}
                disabled={ticket.disabled}
                defaultChecked={(values.ticketType ?? selectedTicketType) === ticket.code}
                onChange={() => setChosen(ticket.code)}
                required
              />
              <span className="choice-name">{ticket.name}</span>
              <span className="choice-price">
                {ticket.listPrice && (
                  <>
                    <del>
                      <span className="visually-hidden">{tCode("listPrice")} </span>
                      {ticket.listPrice}
                    </del>{" "}
                    <span className="visually-hidden">{tCode("priceWithCode")} </span>
                  </>
                )}
                {ticket.price}
              </span>
              <span className="choice-note">{ticket.availability}</span>
            </label>
          ))}
          <FieldErrors id="error-ticketType" codes={errors.ticketType} />
        </fieldset>

        <fieldset>
          <legend>{t("attendeeLegend")}</legend>
          <AttendeeFields names={ATTENDEE_FIELDS.map((field) => field.name)} values={values} errors={errors} />
        </fieldset>

        {questions.length > 0 && (
          <fieldset>
            <legend>{t("questionsLegend")}</legend>
            {questions.map((question) => (
              <QuestionInput
                key={question.key}
                question={question}
                value={values[`answers.${question.key}`]}
                errors={errors[`answers.${question.key}`]}
              />
            ))}
          </fieldset>
        )}

        {paidChosen && <BillingFields values={values} errors={errors} />}
        {paidChosen && <PaymentMethodFields payment={payment} values={values} errors={errors} />}
        {challenge && <ProofOfWork attempt={attempt} />}
        <PrivacyNoticeLink />
        <button type="submit" className="button" disabled={pending} aria-disabled={pending}>
          {pending ? t("submitting") : t("submit")}
        </button>
      </form>
    </>
  );
}

/** Sends the ticket again to the address typed, as "lost ticket" does: the same answer for any address. */
function ResendTicketOffer({ action, email }: { action: Props["resendTicket"]; email: string }) {
  const t = useTranslations("abuse.alreadyRegistered");
  const tLost = useTranslations("lostTicket");
  const { state, formAction, pending } = usePublicForm(action);
  const message = state.done ? tLost("sent") : state.reason === "rate_limited" ? tLost("rate_limited") : undefined;
  return (
    <form action={formAction} className="resend-offer">
      <p>{t("offer", { email })}</p>
      <input type="hidden" name="email" value={email} />
      <button type="submit" className="button button-secondary" disabled={pending}>
        {pending ? tLost("sending") : t("submit")}
      </button>
      <FormMessage message={message} tone={state.done ? "success" : "error"} />
    </form>
  );
}
