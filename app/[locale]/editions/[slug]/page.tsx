import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Availability } from "@/components/availability";
import { EmailLinkRequestForm } from "@/components/email-link-request-form";
import { PriceWithCode, VoucherCodeForm } from "@/components/voucher-code";
import { SaleWindow } from "@/components/sale-window";
import { TestModeNotice } from "@/components/test-mode-notice";
import { WaitingListJoinForm } from "@/components/waitlist/join-form";
import { env } from "@/lib/env";
import { loadEditionOfferOr404 } from "@/lib/editions/load-offer";
import { soldOutForList, waitableForList, waitingListOpen } from "@/lib/editions/waiting-list-open";
import { formatDateRange, localized } from "@/lib/i18n/format";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { Link } from "@/lib/i18n/navigation";
import { editionPath } from "@/lib/http/paths";
import { appNow } from "@/lib/time/clock";
import { offerWithCodeFromQuery } from "./code-from-query";
import { requestLostTicket } from "./lost-ticket-action";
import { joinFromForm } from "./waiting-list/actions";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ locale: string; slug: string }> };
/** `code`: a voucher's code, typed in the page's code field or in the link an organiser shared. */
type Props = Params & { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const locale = await resolvePageLocale(params);
  const { slug } = await params;
  return { title: localized((await loadEditionOfferOr404(slug)).edition, "name", locale) };
}

export default async function EditionPage({ params, searchParams }: Props) {
  const locale = await resolvePageLocale(params);
  const { slug } = await params;
  const t = await getTranslations("edition");
  const tLost = await getTranslations("lostTicket");
  const tList = await getTranslations("waitingListPublic");
  const offer = await loadEditionOfferOr404(slug);
  const { edition } = offer;
  const query = await searchParams;
  const withCode = await offerWithCodeFromQuery(offer, query, locale);
  // `wait`: a sold-out type's "Join the waiting list" link ticks that type alone.
  const waitFor = typeof query.wait === "string" ? query.wait : undefined;
  const { ticketTypes } = withCode;
  // The code goes on to registration only once applied: a refused one is for the field above to correct.
  const code = withCode.state.kind === "applied" ? withCode.state.code : undefined;
  const description = localized(edition, "description", locale);
  const listOpen = waitingListOpen(offer, appNow());
  const mapUrl = `https://www.openstreetmap.org/search?query=${encodeURIComponent(`${edition.venueName}, ${edition.venueAddress}`)}`;

  return (
    <article>
      <h1>{localized(edition, "name", locale)}</h1>
      <dl className="facts">
        <div>
          <dt>{t("when")}</dt>
          <dd>{formatDateRange(edition.startsAt, edition.endsAt, edition.timeZone, locale)}</dd>
        </div>
        <div>
          <dt>{t("where")}</dt>
          <dd>
            <a href={mapUrl} rel="noopener noreferrer">
              {edition.venueName}, {edition.venueAddress}
            </a>
          </dd>
        </div>
      </dl>
      {description && <p className="description">{description}</p>}

      <h2>{t("tickets")}</h2>
      {edition.status === "CLOSED" && <p className="notice">{t("closed")}</p>}
      {ticketTypes.some((type) => type.priceCents > 0 && type.saleState === "on_sale") && <TestModeNotice />}
      {edition.status === "OPEN" && (
        <VoucherCodeForm
          action={editionPath(locale, edition.slug)}
          state={withCode.state}
          currency={edition.currency}
          locale={locale}
          withoutCode={editionPath(locale, edition.slug)}
        />
      )}
      {ticketTypes.length === 0 ? (
        <p>{t("noTickets")}</p>
      ) : (
        <ul className="ticket-types">
          {ticketTypes.map((ticketType) => {
            const name = localized(ticketType, "name", locale);
            const canRegister = ticketType.saleState === "on_sale" && ticketType.seatsLeft > 0;
            return (
              <li key={ticketType.id} className="ticket-type">
                <div className="ticket-type-main">
                  <h3>{name}</h3>
                  {localized(ticketType, "description", locale) && (
                    <p>{localized(ticketType, "description", locale)}</p>
                  )}
                  <SaleWindow ticketType={ticketType} timeZone={edition.timeZone} locale={locale} />
                </div>
                <div className="ticket-type-side">
                  <p className="price">
                    <PriceWithCode
                      listCents={ticketType.priceCents}
                      withCode={ticketType.withCode}
                      currency={edition.currency}
                    />
                  </p>
                  {ticketType.saleState === "on_sale" && <Availability seatsLeft={ticketType.seatsLeft} />}
                  {listOpen && soldOutForList(ticketType) && (
                    <Link
                      className="button button-secondary"
                      href={{
                        pathname: `/editions/${edition.slug}`,
                        query: { wait: ticketType.code },
                        hash: "waiting-list",
                      }}
                    >
                      {tList("joinFor", { ticket: name })}
                    </Link>
                  )}
                  {canRegister && (
                    <Link
                      className="button"
                      href={{
                        pathname: `/editions/${edition.slug}/register`,
                        query: { ticket: ticketType.code, ...(code && { code }) },
                      }}
                    >
                      {t("registerFor", { ticket: name })}
                    </Link>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}

      {listOpen && (
        <section aria-labelledby="waiting-list" className="waiting-list">
          <h2 id="waiting-list">{tList("title")}</h2>
          <WaitingListJoinForm
            key={waitFor}
            action={joinFromForm.bind(null, edition.slug)}
            ticketTypes={offer.ticketTypes.filter(waitableForList).map((type) => ({
              code: type.code,
              name: localized(type, "name", locale),
              ticked: waitFor ? type.code === waitFor : soldOutForList(type),
            }))}
            maxSeats={edition.maxTicketsPerOrder}
            locale={locale}
            challenge={env().REGISTRATION_CHALLENGE === "on"}
          />
        </section>
      )}

      <section aria-labelledby="lost-ticket" className="lost-ticket">
        <h2 id="lost-ticket">{tLost("title")}</h2>
        <EmailLinkRequestForm action={requestLostTicket.bind(null, edition.slug)} namespace="lostTicket" />
      </section>
    </article>
  );
}
