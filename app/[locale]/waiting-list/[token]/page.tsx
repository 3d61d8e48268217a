import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { JoinAgainForm } from "@/components/waitlist/join-again-form";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { editionPath, offerRegisterPath } from "@/lib/http/paths";
import { formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { appNow } from "@/lib/time/clock";
import { loadEntryPage } from "@/lib/waitlist/entries";
import { declineFromPage, joinAgainFromPage, leaveFromPage } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; token: string }> };

// The link is private: keep it out of search engines and other sites' referrers.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const locale = await resolvePageLocale(params);
  const t = await getTranslations({ locale, namespace: "waitingListPublic.page" });
  return { title: t("title"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function WaitingListEntryPage({ params }: Props) {
  const locale = await resolvePageLocale(params);
  const { token } = await params;
  const page = await loadEntryPage(db(), token);
  if (!page) notFound();
  const t = await getTranslations("waitingListPublic.page");
  const tClock = await getTranslations("waitingListClock");
  const tOffer = await getTranslations("waitingListOffer");
  const { entry, edition, offer } = page;
  const editionName = localized(edition, "name", locale);
  const live = entry.status === "WAITING" || entry.status === "OFFERED";
  // Past its deadline an offer can no longer be taken, though the sweep may not have lapsed it yet.
  const expired = offer?.expiresAt != null && offer.expiresAt <= appNow();
  return (
    <article>
      <h1>{t("heading", { edition: editionName })}</h1>
      <p className="notice" role="status">
        {entry.status === "WAITING" && entry.position !== null
          ? t("position", { position: entry.position })
          : t(`status.${entry.status}`)}
      </p>
      <dl className="facts">
        <div>
          <dt>{t("seatsAsked")}</dt>
          <dd>
            {entry.acceptsFewer
              ? t("seatsOrFewer", { seats: entry.seatsWanted })
              : t("seatsExactly", { seats: entry.seatsWanted })}
          </dd>
        </div>
        <div>
          <dt>{t("typesAsked")}</dt>
          <dd>{entry.ticketTypes.map((type) => localized(type, "name", locale)).join(", ")}</dd>
        </div>
      </dl>
      {entry.status === "WAITING" && <p className="muted">{t("groupRule")}</p>}

      {offer?.status === "GATHERING" && <p>{t("gathering", { kept: offer.seats, wanted: entry.seatsWanted })}</p>}
      {offer?.status === "OFFERED" && expired && <p>{tClock("offerExpired")}</p>}
      {offer?.status === "OFFERED" && offer.expiresAt && !expired && (
        <section aria-labelledby="offer" className="waiting-list-offer">
          <h2 id="offer">{t("offerTitle")}</h2>
          <p>
            {t("offer", {
              seats: offer.seats,
              type: localized(offer.ticketType, "name", locale),
              price: formatMoney(offer.ticketType.priceCents, edition.currency, locale),
              deadline: formatDateTime(offer.expiresAt, edition.timeZone, locale),
            })}
          </p>
          {entry.seatsWanted > offer.seats && (
            <p>{tOffer("fewerThanAsked", { wanted: entry.seatsWanted, seats: offer.seats })}</p>
          )}
          <a className="button" href={offerRegisterPath(locale, edition.slug, token)}>
            {t("register")}
          </a>
          <details className="cancel-ticket">
            <summary>{t("decline")}</summary>
            <p className="muted">{t("declineHint")}</p>
            <form action={declineFromPage.bind(null, token, locale)}>
              <button type="submit" className="button button-danger">
                {t("declineConfirm")}
              </button>
            </form>
          </details>
        </section>
      )}

      {live ? (
        <details className="cancel-ticket">
          <summary>{t("leave")}</summary>
          <p className="muted">{t("leaveHint")}</p>
          <form action={leaveFromPage.bind(null, token, locale)}>
            <button type="submit" className="button button-danger">
              {t("leaveConfirm")}
            </button>
          </form>
        </details>
      ) : (
        <>
          {(entry.status === "LAPSED" || entry.status === "DECLINED") && (
            <JoinAgainForm
              action={joinAgainFromPage.bind(null, token, locale)}
              challenge={env().REGISTRATION_CHALLENGE === "on"}
            />
          )}
          <p>
            <a href={editionPath(locale, edition.slug, "waiting-list")}>
              {t("backToEdition", { edition: editionName })}
            </a>
          </p>
        </>
      )}
    </article>
  );
}
