import { getTranslations } from "next-intl/server";
import { formatMoney } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import type { VoucherPrice, VoucherPricing } from "@/lib/vouchers/pricing";
import { Price } from "./price";

/** What the page learnt of the code in its address: applied, refused (and why), or none typed. */
export type CodeState =
  | { kind: "none" }
  | { kind: "applied"; code: string; pricing: VoucherPricing; unlocked: string[]; perOrder: number | null }
  | { kind: "refused"; typed: string; reason: string };

/** A code's effect in words: "20 % off the tickets it applies to", "free tickets". */
export async function codeEffect(pricing: VoucherPricing, currency: string, locale: Locale): Promise<string> {
  const t = await getTranslations("voucherCheckout.effect");
  switch (pricing.effect) {
    case "PERCENT_OFF":
      return t("PERCENT_OFF", { percent: pricing.percentOff });
    case "AMOUNT_OFF":
    case "FIXED_PRICE":
      return t(pricing.effect, { amount: formatMoney(pricing.amountCents, currency, locale) });
    case "FREE":
      return t("FREE");
  }
}

/**
 * The code field: a GET form that reloads the page with ?code=, so it works without JavaScript; beneath it, what
 * became of the code (applied, what it does and to how many tickets of an order, or why it was refused, with a way
 * back to the page without it) in a status region read out when it changes.
 */
export async function VoucherCodeForm({
  action,
  state,
  currency,
  locale,
  keep = {},
  withoutCode,
}: {
  action: string;
  state: CodeState;
  currency: string;
  locale: Locale;
  /** Other query parameters the page needs kept across the reload (the ticket chosen). */
  keep?: Record<string, string>;
  /** The same page without the code (what `keep` keeps), offered when the code is refused. */
  withoutCode: string;
}) {
  const t = await getTranslations("voucherCheckout");
  const value = state.kind === "applied" ? state.code : state.kind === "refused" ? state.typed : "";
  const message =
    state.kind === "applied"
      ? t("applied", { code: state.code, effect: await codeEffect(state.pricing, currency, locale) }) +
        (state.unlocked.length > 0 ? ` ${t("unlocks", { types: state.unlocked.join(", ") })}` : "") +
        (state.perOrder !== null ? ` ${t("perOrder", { count: state.perOrder })}` : "")
      : state.kind === "refused"
        ? t(`refusal.${state.reason}` as "refusal.voucher_unknown")
        : "";
  return (
    <form method="get" action={action} className="code-form">
      {Object.entries(keep).map(([name, kept]) => (
        <input key={name} type="hidden" name={name} value={kept} />
      ))}
      <label htmlFor="voucher-code">{t("label")}</label>
      <div className="code-form-row">
        <input
          id="voucher-code"
          name="code"
          defaultValue={value}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={100}
          aria-describedby="voucher-code-status"
          aria-invalid={state.kind === "refused" || undefined}
        />
        <button type="submit" className="button button-secondary">
          {t("apply")}
        </button>
      </div>
      <p
        id="voucher-code-status"
        role="status"
        className={state.kind === "refused" ? "field-error" : state.kind === "applied" ? "notice notice-success" : ""}
      >
        {message}
        {state.kind === "refused" && (
          <>
            {" "}
            <a href={withoutCode}>{t("remove")}</a>
          </>
        )}
      </p>
    </form>
  );
}

/** A price with a code: the usual price struck, then what the buyer pays; the list price alone without a code. */
export async function PriceWithCode({
  listCents,
  withCode,
  currency,
}: {
  listCents: number;
  withCode: VoucherPrice | null;
  currency: string;
}) {
  if (!withCode || withCode.discountCents === 0) return <Price cents={listCents} currency={currency} />;
  const t = await getTranslations("voucherCheckout");
  return (
    <>
      <del>
        <span className="visually-hidden">{t("listPrice")} </span>
        <Price cents={listCents} currency={currency} />
      </del>{" "}
      <ins>
        <span className="visually-hidden">{t("priceWithCode")} </span>
        <Price cents={withCode.priceCents} currency={currency} />
      </ins>
    </>
  );
}
