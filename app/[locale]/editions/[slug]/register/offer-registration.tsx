import { getTranslations } from "next-intl/server";
import { GroupRegistrationForm } from "@/components/group-registration-form";
import type { PaymentChoice } from "@/components/payment-method-fields";
import { RegistrationForm, type TicketChoice } from "@/components/registration-form";
import { TestModeNotice } from "@/components/test-mode-notice";
import { TicketQuantities } from "@/components/ticket-quantities";
import { db } from "@/lib/db/prisma";
import { localizedQuestionFields } from "@/lib/editions/question-fields";
import type { EditionOffer } from "@/lib/editions/queries";
import { env } from "@/lib/env";
import { editionPath, registerPath, waitingListPath } from "@/lib/http/paths";
import { formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { Link } from "@/lib/i18n/navigation";
import { ticketQuantities } from "@/lib/orders/registration-form";
import { openOfferLink } from "@/lib/waitlist/offer-link";
import { appNow } from "@/lib/time/clock";
import { requestLostTicket } from "../lost-ticket-action";
import { registerFromForm } from "./actions";

type Props = {
  locale: Locale;
  offer: EditionOffer;
  /** The entry's private token, from the offer email's link. */
  token: string;
  query: Record<string, string | string[] | undefined>;
  /** The form as it was sent, for someone back from a payment they cancelled. */
  refill?: Record<string, string>;
};

/**
 * The registration page opened from a waiting-list offer (docs/waiting-list.md, "The offered person pays"): the
 * offer's type and seats (or fewer), the entry's name and email, card only, no code. A link whose offer is no longer
 * open shows no form, only where to look.
 */
export async function OfferRegistration({
  locale,
  offer: { edition, questions, ...types },
  token,
  query,
  refill,
}: Props) {
  const t = await getTranslations();
  const heading = (
    <>
      <p>
        <Link href={`/editions/${edition.slug}`}>← {t("register.backToEdition")}</Link>
      </p>
      <h1>{t("register.title", { edition: localized(edition, "name", locale) })}</h1>
    </>
  );
  const link = await openOfferLink(db(), edition.id, token, appNow());
  // Deactivated since it was offered: no longer listed, so no longer sold (the placement would refuse it too).
  const type =
    link.open && [...types.ticketTypes, ...types.hiddenTicketTypes].find((c) => c.id === link.held.offer.ticketTypeId);
  if (!link.open || !type) {
    const entryPage = !link.open ? link.entryPage : true;
    return (
      <>
        {heading}
        <p className="notice" role="status">
          {t(!link.open && link.converted ? "waitingListOffer.converted" : "waitingListOffer.closed")}{" "}
          <a href={entryPage ? waitingListPath(locale, token) : editionPath(locale, edition.slug)}>
            {t(entryPage ? "waitingListOffer.entryLink" : "waitingListOffer.editionLink")}
          </a>
        </p>
      </>
    );
  }

  const { entry, offer } = link.held;
  const priceText = (cents: number) => (cents === 0 ? t("common.free") : formatMoney(cents, edition.currency, locale));
  const typeName = localized(type, "name", locale);
  const paid = type.priceCents > 0;
  const choice: TicketChoice = {
    code: type.code,
    name: typeName,
    price: priceText(type.priceCents),
    paid,
    availability: t("waitingListOffer.heldSeats", { seats: offer.seats }),
    // Sold out to the public, as it must be: these seats are the offer's.
    disabled: false,
  };
  // Fewer than offered is the buyer's choice (the seats left go to the next entry when the order is paid).
  const count = ticketQuantities(query, [{ code: type.code, max: offer.seats }]).get(type.code) || offer.seats;
  // Card only: days of a transfer's hold would stall the line behind this offer.
  const payment: PaymentChoice = {
    heldNote: t("register.heldNote", { minutes: env().HOLD_MINUTES }),
    transferDeadline: null,
  };
  const { firstName, lastName } = namesOf(entry.name);
  const action = registerFromForm.bind(null, edition.slug, locale);
  const challenge = env().REGISTRATION_CHALLENGE === "on";
  const fields = localizedQuestionFields(questions, locale);

  return (
    <>
      {heading}
      <p className="notice notice-success" role="status">
        {t("waitingListOffer.held", {
          seats: offer.seats,
          type: typeName,
          deadline: formatDateTime(offer.expiresAt, edition.timeZone, locale),
        })}
        {entry.seatsWanted > offer.seats && (
          <> {t("waitingListOffer.fewerThanAsked", { wanted: entry.seatsWanted, seats: offer.seats })}</>
        )}
      </p>
      {refill && (
        <p className="notice" role="status">
          {t("waitingListOffer.checkoutCancelled")}
        </p>
      )}
      {paid && <TestModeNotice />}
      {/* How many, before the details: the page reloads with the number chosen. */}
      {offer.seats > 1 && (
        <>
          <p className="muted">{t("waitingListOffer.fewer")}</p>
          <TicketQuantities
            action={registerPath(locale, edition.slug)}
            offer={token}
            summary={t("waitingListOffer.fewerSummary")}
            maxPerOrder={offer.seats}
            open={false}
            tooMany={false}
            types={[{ ...choice, min: 1, max: offer.seats, count }]}
          />
        </>
      )}
      {count > 1 ? (
        <GroupRegistrationForm
          action={action}
          blocks={Array.from({ length: count }, () => ({ ticketType: type.code, typeName, paid, price: choice.price }))}
          total={priceText(type.priceCents * count)}
          withoutCode={registerPath(locale, edition.slug, { offer: token })}
          questions={fields}
          initialValues={
            refill ?? { "buyer.firstName": firstName, "buyer.lastName": lastName, "buyer.email": entry.email }
          }
          payment={payment}
          challenge={challenge}
          allowNameLater={edition.allowNameLater}
          offer={token}
        />
      ) : (
        <RegistrationForm
          action={action}
          ticketTypes={[choice]}
          withoutCode={registerPath(locale, edition.slug, { offer: token })}
          questions={fields}
          selectedTicketType={type.code}
          initialValues={
            refill ?? { "attendee.firstName": firstName, "attendee.lastName": lastName, "attendee.email": entry.email }
          }
          payment={payment}
          challenge={challenge}
          resendTicket={requestLostTicket.bind(null, edition.slug)}
          offer={token}
        />
      )}
    </>
  );
}

/** The entry's one name field as the form's two: its first word, then the rest (both editable on the form). */
function namesOf(name: string): { firstName: string; lastName: string } {
  const [firstName, ...rest] = name.trim().split(/\s+/);
  return { firstName: firstName ?? "", lastName: rest.join(" ") };
}
