import { getTranslations } from "next-intl/server";
import { formatDateTime, formatMoney } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import type { TransferDetails } from "@/lib/payments/transfer-details";

/**
 * What a payer needs to pay a transfer order: the amount, the organiser's account, the reference to quote and the
 * deadline, with the quote to download. The order page and its payment link's page show it alike.
 */
export async function TransferInstructions({
  details,
  quoteHref,
  locale,
}: {
  details: TransferDetails;
  quoteHref: string;
  locale: Locale;
}) {
  const t = await getTranslations({ locale, namespace: "transferPayment" });
  return (
    <section aria-labelledby="transfer-instructions" className="transfer-instructions">
      <h2 id="transfer-instructions">{t("instructionsTitle")}</h2>
      <dl className="summary">
        <div>
          <dt>{t("amount")}</dt>
          <dd>{formatMoney(details.amountCents, details.currency, locale)}</dd>
        </div>
        <div>
          <dt>{t("beneficiary")}</dt>
          <dd>{details.beneficiary}</dd>
        </div>
        <div>
          <dt>{t("iban")}</dt>
          <dd className="reference">{details.iban}</dd>
        </div>
        <div>
          <dt>{t("bic")}</dt>
          <dd className="reference">{details.bic}</dd>
        </div>
        <div>
          <dt>{t("reference")}</dt>
          <dd className="reference">{details.reference}</dd>
        </div>
        <div>
          <dt>{t("deadline")}</dt>
          <dd>{formatDateTime(details.deadline, details.timeZone, locale)}</dd>
        </div>
      </dl>
      <p className="hint">{t("quoteReference")}</p>
      <p>
        <a className="button secondary" href={quoteHref} download>
          {t("downloadQuote")}
        </a>
      </p>
    </section>
  );
}

/**
 * The payment link, for a buyer who does not pay themselves: whoever opens it gets the quote and the bank details,
 * or pays by card, and nothing else of the order (not its tickets, not its management).
 */
export async function ForwardToPayer({ url, reference, locale }: { url: string; reference: string; locale: Locale }) {
  const t = await getTranslations({ locale, namespace: "transferPayment" });
  const mail = new URLSearchParams({
    subject: t("forwardSubject", { reference }),
    body: t("forwardBody", { url }),
  });
  return (
    <section aria-labelledby="forward-to-payer" className="forward">
      <h2 id="forward-to-payer">{t("forwardTitle")}</h2>
      <p>{t("forwardText")}</p>
      <label className="field" htmlFor="payment-link">
        <span className="label">{t("forwardLinkLabel")}</span>
        <input id="payment-link" type="url" readOnly value={url} />
      </label>
      <p>
        <a href={`mailto:?${mail.toString().replaceAll("+", "%20")}`}>{t("forwardByEmail")}</a>
      </p>
    </section>
  );
}
