"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef, useState } from "react";
import { describedBy, FieldErrors } from "@/components/field-errors";
import { ATTENDEE_FIELDS, AttendeeFields, FormMessage } from "@/components/form-fields";
import { IDLE, type FormState } from "@/lib/forms/form-state";
import { shortTicketTypes } from "@/lib/orders/registration-form";

/** A ticket type an organiser may give: its code, its name, and the most one order may hold of it. */
export type ComplimentaryType = { code: string; name: string; max: number; onPublicSale: boolean };

type Props = {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  hidden: Record<string, string>;
  types: ComplimentaryType[];
  maxPerOrder: number;
  allowNameLater: boolean;
  /** The email language offered first: the organiser's own. */
  locale: string;
};

const PERSON_FIELDS = ATTENDEE_FIELDS.map((field) => field.name);
const TICKET_FIELDS = PERSON_FIELDS.filter((name) => name !== "attendee.company");
const ID = "complimentary";
const LANGUAGES = [
  { value: "fr", label: "Français" },
  { value: "en", label: "English" },
];

/**
 * Free tickets for a speaker, a sponsor or a partner, one or a group in one order: the recipient
 * (the order's buyer), how many of each type, then one block per ticket, named now or later. The
 * fields are named as the registration's group form names them (buyer.email, tickets.2.attendee.email),
 * so the same request parser reads them and the server's field errors land on the right block.
 * Without JavaScript, the single ticket the form opens with works as before; the blocks follow the
 * quantities only with it.
 */
export function ComplimentaryGroupForm({ action, hidden, types, maxPerOrder, allowNameLater, locale }: Props) {
  const t = useTranslations("complimentaryGroup");
  const adminForm = useTranslations("adminForm");
  const [state, formAction, pending] = useActionState(action, IDLE);
  const values = state.status === "error" ? (state.values ?? {}) : {};
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const form = useRef<HTMLFormElement>(null);

  const [quantities, setQuantities] = useState(() =>
    Object.fromEntries(types.map((type, index) => [type.code, index === 0 ? 1 : 0])),
  );
  const [recipientAttends, setRecipientAttends] = useState(true);
  const [later, setLater] = useState(() => new Set<number>());
  const nameLater = (index: number, on: boolean) =>
    setLater((current) => {
      const next = new Set(current);
      if (on) next.add(index);
      else next.delete(index);
      return next;
    });
  useEffect(() => {
    form.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [state]);

  const blocks = types.flatMap((type) => Array.from({ length: quantities[type.code] ?? 0 }, () => type));
  const message =
    state.status !== "error"
      ? undefined
      : t.has(`refusal.${state.message}`)
        ? t(`refusal.${state.message}`, { left: Number(state.params?.left ?? 0) })
        : adminForm.has(state.message)
          ? adminForm(state.message)
          : adminForm("failed");
  const asked = types.map((type) => ({ code: type.code, name: type.name, count: quantities[type.code] ?? 0 }));
  const short = shortTicketTypes(asked, state.status === "error" ? state.params : undefined);
  const orderErrors = errors.tickets ?? (blocks.length === 0 ? undefined : errors.ticketType);

  return (
    <form ref={form} action={formAction} className="form" noValidate>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormMessage message={message} />
      {short.length > 0 && (
        <ul className="error-summary">
          {short.map((type) => (
            <li key={type.name}>{t("refusal.soldOutType", { type: type.name, left: type.left })}</li>
          ))}
        </ul>
      )}

      <fieldset>
        <legend>{t("buyerLegend")}</legend>
        <AttendeeFields
          names={PERSON_FIELDS}
          scope="buyer"
          idPrefix={ID}
          values={values}
          errors={errors}
          hints={{ "attendee.email": t("buyerEmailHint") }}
        />
        <div className="field">
          <label htmlFor={`${ID}-locale`}>{t("emailLanguage")}</label>
          <select id={`${ID}-locale`} name="locale" defaultValue={values.locale ?? locale}>
            {LANGUAGES.map((language) => (
              <option key={language.value} value={language.value} lang={language.value}>
                {language.label}
              </option>
            ))}
          </select>
        </div>
      </fieldset>

      <fieldset aria-describedby={describedBy(`${ID}-quantities-hint`, orderErrors && `${ID}-quantities-error`)}>
        <legend>{t("quantitiesLegend")}</legend>
        <p id={`${ID}-quantities-hint`} className="hint">
          {t("quantitiesHint", { max: maxPerOrder })}
        </p>
        {types.map((type) => (
          <div key={type.code} className="field quantity">
            <label htmlFor={`${ID}-quantity-${type.code}`}>
              {type.onPublicSale ? type.name : t("notOnPublicSale", { type: type.name })}
            </label>
            <input
              id={`${ID}-quantity-${type.code}`}
              name={`quantity.${type.code}`}
              type="number"
              inputMode="numeric"
              min={0}
              max={type.max}
              value={quantities[type.code] ?? 0}
              onChange={(event) => {
                const asked = Math.trunc(Number(event.currentTarget.value));
                const count = Number.isFinite(asked) ? Math.min(Math.max(asked, 0), type.max) : 0;
                setQuantities((current) => ({ ...current, [type.code]: count }));
              }}
            />
          </div>
        ))}
        {blocks.length === 0 && <p className="hint">{t("chooseTickets")}</p>}
        <FieldErrors id={`${ID}-quantities-error`} codes={orderErrors} />
      </fieldset>

      {blocks.map((type, index) => {
        const scope = `tickets.${index}`;
        const id = `${ID}-tickets-${index}`;
        const attends = index === 0 && recipientAttends;
        const off = attends || later.has(index);
        return (
          <fieldset key={index} id={id} className="ticket-block">
            <legend>{t("ticketLegend", { position: index + 1, count: blocks.length, type: type.name })}</legend>
            <input type="hidden" name={`${scope}.ticketType`} value={type.code} />
            <FieldErrors id={`${id}-ticketType-error`} codes={errors[`${scope}.ticketType`]} />
            {index === 0 && (
              <div className="field field-checkbox">
                <input
                  type="checkbox"
                  id={`${id}-buyerAttends`}
                  name={`${scope}.buyerAttends`}
                  aria-describedby={`${id}-buyerAttends-hint`}
                  checked={recipientAttends}
                  onChange={(event) => setRecipientAttends(event.currentTarget.checked)}
                />
                <label htmlFor={`${id}-buyerAttends`}>{t("buyerAttends")}</label>
                <p id={`${id}-buyerAttends-hint`} className="hint">
                  {t("buyerAttendsHint")}
                </p>
              </div>
            )}
            {allowNameLater && !attends && (
              <div className="field field-checkbox">
                <input
                  type="checkbox"
                  id={`${id}-nameLater`}
                  name={`${scope}.nameLater`}
                  aria-describedby={`${id}-nameLater-hint`}
                  checked={later.has(index)}
                  onChange={(event) => nameLater(index, event.currentTarget.checked)}
                />
                <label htmlFor={`${id}-nameLater`}>{t("nameLater")}</label>
                <p id={`${id}-nameLater-hint`} className="hint">
                  {t("nameLaterHint")}
                </p>
              </div>
            )}
            <FieldErrors id={`${id}-attendee-error`} codes={blockErrors(errors, scope, off)} />
            {/* Disabled fields are not sent: a ticket named later or held by the recipient carries no stale name. */}
            <div hidden={off}>
              <fieldset disabled={off}>
                <AttendeeFields
                  names={TICKET_FIELDS}
                  scope={`${scope}.attendee`}
                  idPrefix={ID}
                  values={values}
                  errors={errors}
                  hints={{ "attendee.email": t("attendeeEmailHint") }}
                />
              </fieldset>
            </div>
          </fieldset>
        );
      })}

      <div>
        <button type="submit" className="button" disabled={pending || blocks.length === 0} aria-busy={pending}>
          {pending ? t("working") : t("submit", { count: blocks.length })}
        </button>
      </div>
    </form>
  );
}

/**
 * What is wrong with a ticket's attendee as a whole; with its fields put away (the recipient's ticket,
 * or one named later), also what the server found in them, such as the recipient's address already
 * holding a ticket.
 */
function blockErrors(errors: Record<string, string[]>, scope: string, fieldsHidden: boolean) {
  const own = errors[`${scope}.attendee`] ?? [];
  const inFields = fieldsHidden
    ? Object.entries(errors).flatMap(([key, codes]) => (key.startsWith(`${scope}.attendee.`) ? codes : []))
    : [];
  const codes = [...new Set([...own, ...inFields])];
  return codes.length > 0 ? codes : undefined;
}
