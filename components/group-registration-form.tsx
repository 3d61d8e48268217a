"use client";

import { BillingFields, BILLING_FIELDS, type BillingFieldName } from "./billing-fields";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { shortTicketTypes, type RegistrationRefusalReason } from "@/lib/orders/registration-form";
import { FieldErrors } from "./field-errors";
import { ATTENDEE_FIELDS, AttendeeFields, FormMessage, QuestionInput, type QuestionField } from "./form-fields";
import { PaymentMethodFields, type PaymentChoice } from "./payment-method-fields";
import { ProofOfWork } from "./proof-of-work";
import { PrivacyNoticeLink } from "./privacy-notice-link";
import { isCodeRefusal, offerRefusal } from "./registration-form";
import { usePublicForm, type PublicFormAction } from "./use-public-form";

/**
 * One ticket of the order, in the order the blocks are shown: its type's code and name, and its price as the order
 * will charge it (with the usual price when a code lowers it).
 */
export type TicketBlock = { ticketType: string; typeName: string; paid: boolean; price: string; listPrice?: string };

type Props = {
  action: PublicFormAction<RegistrationRefusalReason>;
  blocks: TicketBlock[];
  /** A voucher's code applied on the page: sent with the order, which prices its tickets with it. */
  code?: string;
  /** The page without the code, offered when the registration refuses it. */
  withoutCode: string;
  /** What the order costs, its tickets' prices added up. */
  total: string;
  questions: QuestionField[];
  /** What the buyer typed before, when they come back from a cancelled payment. */
  initialValues?: Record<string, string>;
  /** How paid tickets may be paid: shown when the order has a paid ticket. */
  payment: PaymentChoice;
  challenge: boolean;
  /** The organiser lets a buyer leave tickets unnamed, to name from the order page later. */
  allowNameLater: boolean;
  /** A waiting-list entry's token: the order takes the seats offered to it (checked again where they are taken). */
  offer?: string;
};

const DEFENCE_REFUSALS = ["rate_limited", "challenge_failed", "too_many_unpaid_holds"];
const PERSON_FIELDS = ATTENDEE_FIELDS.map((field) => field.name);
const TICKET_FIELDS = PERSON_FIELDS.filter((name) => name !== "attendee.company");
// "This is me" copies these from the buyer block into the first ticket's block.
const COPIED_FIELDS = ["firstName", "lastName", "email"] as const;

/**
 * A buyer's order of several tickets: the buyer's details, then one block per ticket (its attendee
 * and their answers). Field names follow the request the API takes (buyer.email,
 * tickets.2.attendee.email, tickets.2.answers.tshirt), so the server's field errors land on the
 * right block; the page decides the blocks from the quantities asked, with or without JavaScript.
 */
export function GroupRegistrationForm({
  action,
  blocks,
  code,
  withoutCode,
  total,
  questions,
  initialValues,
  payment,
  challenge,
  allowNameLater,
  offer,
}: Props) {
  const t = useTranslations("groupForm");
  const tRegister = useTranslations("register");
  const tBilling = useTranslations("billingForm");
  const tRefusal = useTranslations("refusal");
  const tAbuse = useTranslations("abuse.refusal");
  const tCode = useTranslations("voucherCheckout");
  const tOffer = useTranslations("waitingListOffer");
  const { state, formAction, pending, values, errors } = usePublicForm(action, initialValues);
  const form = useRef<HTMLFormElement>(null);
  // Tickets to be named later show no attendee fields; without JavaScript the fields stay and are ignored.
  const [later, setLater] = useState(
    () => new Set(blocks.flatMap((_, index) => (values[`tickets.${index}.nameLater`] === "on" ? [index] : []))),
  );
  const nameLater = (index: number, on: boolean) =>
    setLater((current) => {
      const next = new Set(current);
      if (on) next.add(index);
      else next.delete(index);
      return next;
    });
  // Each answer from the server spends the challenge: a new state means a new attempt to solve.
  const [answered, setAnswered] = useState(state);
  const [attempt, setAttempt] = useState(1);
  if (answered !== state) {
    setAnswered(state);
    setAttempt(attempt + 1);
  }
  // After the refusal's message took focus (a child's effect runs first), the first field to correct takes it.
  useEffect(() => {
    form.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [state]);

  const reason = state.reason;
  const left = state.params?.left;
  const message = !reason
    ? undefined
    : reason === "sold_out" && left !== undefined
      ? t("soldOut", { left })
      : DEFENCE_REFUSALS.includes(reason)
        ? tAbuse(reason)
        : isCodeRefusal(reason)
          ? `${tCode(`refusal.${reason}`)} ${tCode("refusal.nothingBooked")}`
          : reason === "offer_unavailable"
            ? offerRefusal(tOffer, state.detail)
            : tRefusal(reason);
  const removeCode = reason && isCodeRefusal(reason) ? { href: withoutCode, text: tCode("remove") } : undefined;
  const shortTypes = shortTicketTypes(askedTypes(blocks), state.params);
  const summary = errorSummary(errors, questions, {
    buyer: t("whereBuyer"),
    order: t("whereOrder"),
    ticket: (position) => t("whereTicket", { position }),
    field: (key) => tRegister(key),
    billing: tBilling("legend"),
    billingField: (name) =>
      BILLING_FIELDS.some((field) => field.name === name) ? tBilling(name as BillingFieldName) : name,
  });

  const fillFromBuyer = (checked: boolean) => {
    const elements = form.current?.elements;
    if (!checked || !elements) return;
    for (const field of COPIED_FIELDS) {
      const from = elements.namedItem(`buyer.${field}`) as HTMLInputElement | null;
      const to = elements.namedItem(`tickets.0.attendee.${field}`) as HTMLInputElement | null;
      if (from && to) to.value = from.value;
    }
  };

  return (
    <>
      <FormMessage message={message} link={removeCode} />
      {shortTypes.length > 0 && (
        <ul className="error-summary">
          {shortTypes.map((type) => (
            <li key={type.code}>{t("soldOutType", { type: type.typeName, left: type.left })}</li>
          ))}
        </ul>
      )}
      {summary.length > 0 && (
        <nav className="error-summary" aria-labelledby="error-summary-title">
          <p id="error-summary-title">{t("errorSummary", { count: summary.length })}</p>
          <ul>
            {summary.map((entry) => (
              <li key={entry.key}>
                <a href={`#${entry.target}`}>
                  {entry.label ? t("errorLink", { where: entry.where, field: entry.label }) : entry.where}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <form ref={form} action={formAction} className="form" noValidate>
        <p className="muted">{tRegister("requiredNote")}</p>
        {offer && <input type="hidden" name="offer" value={offer} />}
        {code && (
          <p className="notice notice-success">
            {tCode("withCode", { code })}
            <input type="hidden" name="code" value={code} />
          </p>
        )}
        <FieldErrors id="field-tickets-error" codes={errors.tickets} />

        <fieldset id="field-buyer">
          <legend>{t("buyerLegend")}</legend>
          <AttendeeFields
            names={PERSON_FIELDS}
            scope="buyer"
            values={values}
            errors={errors}
            hints={{ "attendee.email": t("buyerEmailHint") }}
          />
        </fieldset>

        {blocks.map((block, index) => (
          <fieldset key={index} id={`field-tickets-${index}`} className="ticket-block">
            <legend>{t("ticketLegend", { position: index + 1, count: blocks.length, type: block.typeName })}</legend>
            <input type="hidden" name={`tickets.${index}.ticketType`} value={block.ticketType} />
            <p className="ticket-block-price">
              {block.listPrice && (
                <>
                  <del>
                    <span className="visually-hidden">{tCode("listPrice")} </span>
                    {block.listPrice}
                  </del>{" "}
                  <span className="visually-hidden">{tCode("priceWithCode")} </span>
                </>
              )}
              {block.price}
            </p>
            <FieldErrors id={`field-tickets-${index}-ticketType-error`} codes={errors[`tickets.${index}.ticketType`]} />
            {index === 0 && (
              <div className="field field-checkbox">
                <input
                  type="checkbox"
                  id="field-tickets-0-buyerAttends"
                  name="tickets.0.buyerAttends"
                  aria-describedby="field-tickets-0-buyerAttends-hint"
                  defaultChecked={values["tickets.0.buyerAttends"] === "on"}
                  onChange={(event) => fillFromBuyer(event.currentTarget.checked)}
                />
                <label htmlFor="field-tickets-0-buyerAttends">{t("buyerAttends")}</label>
                <p id="field-tickets-0-buyerAttends-hint" className="hint">
                  {t("buyerAttendsHint")}
                </p>
              </div>
            )}
            {allowNameLater && (
              <div className="field field-checkbox">
                <input
                  type="checkbox"
                  id={`field-tickets-${index}-nameLater`}
                  name={`tickets.${index}.nameLater`}
                  aria-describedby={`field-tickets-${index}-nameLater-hint`}
                  defaultChecked={values[`tickets.${index}.nameLater`] === "on"}
                  onChange={(event) => nameLater(index, event.currentTarget.checked)}
                />
                <label htmlFor={`field-tickets-${index}-nameLater`}>{t("nameLater")}</label>
                <p id={`field-tickets-${index}-nameLater-hint`} className="hint">
                  {t("nameLaterHint")}
                </p>
              </div>
            )}
            <div hidden={later.has(index)}>
              <AttendeeFields
                names={TICKET_FIELDS}
                scope={`tickets.${index}.attendee`}
                values={values}
                errors={errors}
                hints={{ "attendee.email": t("attendeeEmailHint") }}
              />
              {questions.map((question) => (
                <QuestionInput
                  key={question.key}
                  question={question}
                  scope={`tickets.${index}.`}
                  value={values[`tickets.${index}.answers.${question.key}`]}
                  errors={errors[`tickets.${index}.answers.${question.key}`]}
                />
              ))}
            </div>
          </fieldset>
        ))}

        {blocks.some((block) => block.paid) && <BillingFields values={values} errors={errors} />}
        {blocks.some((block) => block.paid) && (
          <PaymentMethodFields payment={payment} values={values} errors={errors} />
        )}
        {challenge && <ProofOfWork attempt={attempt} />}
        <p className="order-total">{tCode("orderTotal", { total })}</p>
        <PrivacyNoticeLink />
        <button type="submit" className="button" disabled={pending} aria-disabled={pending}>
          {pending ? t("submitting") : t("submit", { count: blocks.length })}
        </button>
      </form>
    </>
  );
}

/** The ticket types the order asked more of than are left, as the refusal counted them. */
/** How many tickets of each type the blocks ask for, in the blocks' order. */
function askedTypes(blocks: TicketBlock[]) {
  const asked = new Map<string, { code: string; typeName: string; count: number }>();
  for (const block of blocks) {
    const entry = asked.get(block.ticketType) ?? { code: block.ticketType, typeName: block.typeName, count: 0 };
    asked.set(block.ticketType, { ...entry, count: entry.count + 1 });
  }
  return [...asked.values()];
}

type Words = {
  buyer: string;
  billing: string;
  billingField: (name: string) => string;
  order: string;
  ticket: (position: number) => string;
  field: (key: "firstName" | "lastName" | "email" | "company") => string;
};

/**
 * Each field error as a link to its field: where it is (buyer, ticket N) and which field, in the
 * order the form shows them, whatever order the server found them in.
 */
function errorSummary(errors: Record<string, string[] | undefined>, questions: QuestionField[], words: Words) {
  const fieldOrder = ["ticketType", ...PERSON_FIELDS, ...questions.map((question) => `answers.${question.key}`)].map(
    (name) => name.replace(/^attendee\./, ""),
  );
  const rank = (key: string) => {
    const [scope, index, ...rest] = key.split(".");
    // The billing details come after the last ticket, in the order they are shown.
    if (scope === "billing") return 999_000 + BILLING_FIELDS.findIndex((field) => field.name === index);
    const block = scope === "buyer" ? 0 : scope === "tickets" && index !== undefined ? Number(index) + 1 : -1;
    const within = scope === "buyer" ? index : rest.join(".").replace(/^attendee\./, "");
    return block * 1000 + fieldOrder.indexOf(within ?? "");
  };
  const keys = Object.keys(errors).sort((a, b) => rank(a) - rank(b));
  return keys.flatMap((key) => {
    const parts = key.split(".");
    const target = `field-${parts.join("-")}`;
    if (parts[0] === "buyer" && parts.length === 2) {
      return [{ key, target, where: words.buyer, label: personLabel(parts[1], words) }];
    }
    if (parts[0] === "billing" && parts.length === 2) {
      return [{ key, target, where: words.billing, label: words.billingField(parts[1]) }];
    }
    if (parts[0] !== "tickets") return [];
    if (parts.length === 1) return [{ key, target: "field-tickets-error", where: words.order, label: "" }];
    const where = words.ticket(Number(parts[1]) + 1);
    const [, , group, field] = parts;
    if (group === "attendee") return [{ key, target, where, label: personLabel(field, words) }];
    if (group === "answers") {
      const question = questions.find((candidate) => candidate.key === field);
      return [{ key, target, where, label: question?.label ?? field }];
    }
    return [{ key, target: `field-tickets-${parts[1]}`, where, label: "" }];
  });
}

function personLabel(field: string, words: Words): string {
  const known = ATTENDEE_FIELDS.find((candidate) => candidate.name === `attendee.${field}`);
  return known ? words.field(known.label) : field;
}
