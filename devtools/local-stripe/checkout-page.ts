import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json";
import fr from "@/lib/i18n/messages/fr.json";
import { formatMoney } from "@/lib/i18n/format";

export type CheckoutPageState = {
  kind: "form" | "expired" | "paid" | "missing";
  locale: string;
  sessionId?: string;
  amount?: number;
  currency?: string;
  items?: { name: string; amount: number; quantity: number }[];
  email?: string | null;
  cancelUrl?: string;
  error?: "incorrect_number" | "invalid_expiry" | "invalid_cvc" | "card_declined" | "insufficient_funds";
  values?: { cardNumber: string; expiry: string; cvc: string; name: string };
};

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The local stand-in for Stripe's hosted checkout page, in the session's language. */
export function renderCheckoutPage(state: CheckoutPageState): string {
  const locale = state.locale === "fr" ? "fr" : "en";
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "localCheckout" });
  const money = (cents: number) => formatMoney(cents, (state.currency ?? "eur").toUpperCase(), locale);
  const v = state.values ?? { cardNumber: "", expiry: "", cvc: "", name: "" };
  const field = (name: keyof typeof v, label: string, attrs: string) =>
    `<label for="${name}">${escape(label)}</label>` +
    `<input id="${name}" name="${name}" value="${escape(v[name])}" ${attrs}>`;

  let main: string;
  if (state.kind === "form") {
    const itemRow = (item: NonNullable<CheckoutPageState["items"]>[number]) =>
      `<li><span>${escape(item.name)} × ${item.quantity}</span>` +
      `<span>${escape(money(item.amount * item.quantity))}</span></li>`;
    const error = state.error ? escape(t(`error.${state.error}`)) : "";
    const expiry = field("expiry", t("expiry"), 'autocomplete="cc-exp" placeholder="12/34" required');
    main = `
      <ul class="items">${(state.items ?? []).map(itemRow).join("")}</ul>
      <p class="total"><span>${escape(t("total"))}</span><strong>${escape(money(state.amount ?? 0))}</strong></p>
      ${state.email ? `<p>${escape(t("email"))} : ${escape(state.email)}</p>` : ""}
      <form method="post" action="/checkout/${escape(state.sessionId ?? "")}/pay">
        <div role="alert" class="${state.error ? "error" : ""}">${error}</div>
        ${field("cardNumber", t("cardNumber"), 'inputmode="numeric" autocomplete="cc-number" required')}
        <div class="row"><div>${expiry}</div>
        <div>${field("cvc", t("cvc"), 'inputmode="numeric" autocomplete="cc-csc" required')}</div></div>
        ${field("name", t("name"), 'autocomplete="cc-name"')}
        <button type="submit">${escape(t("pay", { amount: money(state.amount ?? 0) }))}</button>
      </form>
      <p><a href="${escape(state.cancelUrl ?? "/")}">${escape(t("cancel"))}</a></p>
      <p class="hint">${escape(t("testCards"))}</p>`;
  } else {
    const back = state.cancelUrl ? `<p><a href="${escape(state.cancelUrl)}">${escape(t("cancel"))}</a></p>` : "";
    main = `<p role="alert">${escape(t(state.kind))}</p>${back}`;
  }
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(t("title"))}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f6f9fc; color: #1a1f36; margin: 0; }
  main { max-width: 28rem; margin: 0 auto; padding: 1rem; }
  .test { background: #ffde92; color: #5a3e00; padding: .5rem 1rem; font-weight: 600; text-align: center; }
  form { display: grid; gap: .5rem; background: #fff; padding: 1rem; border-radius: 8px; box-shadow: 0 1px 3px #0002; }
  label { font-weight: 600; font-size: .9rem; }
  input { font: inherit; padding: .6rem; border: 1px solid #8792a2; border-radius: 6px; width: 100%;
    box-sizing: border-box; }
  .row { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; } .row > div { display: grid; gap: .25rem; }
  button { font: inherit; font-weight: 600; background: #0b5cad; color: #fff; border: 0; border-radius: 6px;
    padding: .8rem; min-height: 44px; }
  .items { list-style: none; padding: 0; } .items li, .total { display: flex; justify-content: space-between; }
  .error { color: #a0141e; font-weight: 600; } .hint { color: #4f566b; font-size: .85rem; } a { color: #0b5cad; }
</style></head>
<body><p class="test">${escape(t("testMode"))}</p><main><h1>${escape(t("title"))}</h1>${main}</main></body></html>`;
}
