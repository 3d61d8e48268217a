import Form from "next/form";
import { useTranslations } from "next-intl";
import { describedBy } from "./field-errors";

export type TicketQuantity = {
  code: string;
  name: string;
  price: string;
  availability: string;
  /** The most one order may take of this type now: its limit per order, within the seats left. */
  max: number;
  /** The fewest: 0 unless one is always bought (a waiting-list offer's type). */
  min?: number;
  count: number;
};

/**
 * How many tickets of each type, asked before the attendees' blocks. It is a GET form to the
 * registration page itself: the server renders one block per ticket from the address, so it works
 * without JavaScript; with it, next/form navigates in place and blocks already typed keep their text.
 */
export function TicketQuantities({
  action,
  types,
  maxPerOrder,
  open,
  tooMany,
  code,
  offer,
  summary,
}: {
  action: string;
  /** What the folded form is called, when not a group order's (quantitiesSummary). */
  summary?: string;
  /** A voucher's code applied on the page: kept when the page reloads with the quantities. */
  code?: string;
  /** A waiting-list offer's token: kept likewise, so that the page stays the offer's. */
  offer?: string;
  types: TicketQuantity[];
  maxPerOrder: number;
  open: boolean;
  tooMany: boolean;
}) {
  const t = useTranslations("groupForm");
  return (
    <details className="quantities" open={open}>
      <summary>{summary ?? t("quantitiesSummary")}</summary>
      <Form action={action} className="form">
        {code && <input type="hidden" name="code" value={code} />}
        {offer && <input type="hidden" name="offer" value={offer} />}
        <fieldset aria-describedby={describedBy("quantities-hint", tooMany && "quantities-error")}>
          <legend>{t("quantitiesLegend")}</legend>
          <p id="quantities-hint" className="hint">
            {t("quantitiesHint", { max: maxPerOrder })}
          </p>
          {types.map((type) => (
            <div key={type.code} className="field quantity">
              <label htmlFor={`quantity-${type.code}`}>{type.name}</label>
              <p id={`quantity-${type.code}-note`} className="hint">
                {t("quantityNote", { price: type.price, availability: type.availability })}
              </p>
              <select
                id={`quantity-${type.code}`}
                name={`quantity.${type.code}`}
                defaultValue={String(type.count)}
                aria-describedby={`quantity-${type.code}-note`}
              >
                {Array.from({ length: type.max + 1 - (type.min ?? 0) }, (_, index) => (type.min ?? 0) + index).map(
                  (count) => (
                    <option key={count} value={count}>
                      {count}
                    </option>
                  ),
                )}
              </select>
            </div>
          ))}
          {tooMany && (
            <p id="quantities-error" className="field-error" role="alert">
              {t("tooManyTickets", { max: maxPerOrder })}
            </p>
          )}
        </fieldset>
        <button type="submit" className="button button-secondary">
          {t("updateQuantities")}
        </button>
      </Form>
    </details>
  );
}
