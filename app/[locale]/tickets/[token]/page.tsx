import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { AttendeeDetailsForm, TransferForm } from "@/components/manage-forms";
import { TicketQr } from "@/components/ticket-qr";
import { db } from "@/lib/db/prisma";
import { localizedQuestionFields } from "@/lib/editions/question-fields";
import { ticketCertificatePath, ticketFilePath } from "@/lib/http/paths";
import { FileLinks } from "@/components/order/file-links";
import { formatDateTime, localized } from "@/lib/i18n/format";
import { Link } from "@/lib/i18n/navigation";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { holderName } from "@/lib/orders/holder";
import { getTicketByAccessToken } from "@/lib/orders/queries";
import { answerFormValues, attendeeFormValues } from "@/lib/orders/registration-form";
import { selfServiceRights } from "@/lib/tickets/self-service";
import { recordStanding } from "@/lib/tickets/standing";
import {
  askTicketErasure,
  cancelMyTicket,
  chooseEmailLanguage,
  emailTicketData,
  saveOwnTicketDetails,
  transferOwnTicket,
} from "./actions";
import { CancelTicket } from "@/components/order/cancel-ticket";
import { EditionFact } from "@/components/order/edition-fact";
import { CertificateLinks } from "@/components/order/certificate-links";
import { certificateEligibility, certificateRuleSettings } from "@/lib/certificates/eligible";
import { appNow } from "@/lib/time/clock";
import { DataRights } from "@/components/privacy/data-rights";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ locale: string; token: string }>;
  searchParams: Promise<{ refusal?: string; privacy?: string }>;
};

// The link is private: keep it out of search engines and other sites' referrers.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const locale = await resolvePageLocale(params);
  const ticket = await getTicketByAccessToken(db(), (await params).token);
  const t = await getTranslations({ locale, namespace: "attendeeEdges.title" });
  const title = ticket ? t("ticket", { edition: localized(ticket.order.edition, "name", locale) }) : undefined;
  return { title, robots: { index: false, follow: false }, referrer: "no-referrer" };
}

/**
 * One attendee's own ticket of a group, behind their private link: this ticket only (QR, PDF, .ics,
 * their details, a transfer), never the order's other tickets, its buyer's link or its payment.
 */
export default async function OwnTicketPage({ params, searchParams }: Props) {
  const locale = await resolvePageLocale(params);
  const { token } = await params;
  const ticket = await getTicketByAccessToken(db(), token);
  if (!ticket) notFound();
  const t = await getTranslations("groupTicket");
  const order = await getTranslations("order");
  const manage = await getTranslations("manage");
  const { edition } = ticket.order;
  const editionName = localized(edition, "name", locale);
  const valid = recordStanding(ticket, ticket.order) === "valid";
  const rights = selfServiceRights({ ...ticket.order, edition }, appNow());
  const holder = holderName(ticket) ?? "";
  const emailLocale = ticket.locale ?? ticket.order.locale;
  const editDeadline = edition.editDeadline ?? edition.startsAt;
  // A ticket cancelled or refunded on its own leaves the rest of its order confirmed.
  const shownStatus = ticket.status === "ACTIVE" ? ticket.order.status : ticket.status;
  const { refusal, privacy } = await searchParams;
  const settings = await certificateRuleSettings(db(), edition.id);
  const certificate = certificateEligibility(ticket, ticket.order, edition, settings, appNow()) === "eligible";
  const certificates = await getTranslations("certificates");
  // The cancel button, or what became of the ticket, when this edition lets attendees cancel.
  const cancel = edition.attendeesMayCancel && (
    <CancelTicket
      order={{ ...ticket.order, refunds: ticket.refund ? [ticket.refund] : [] }}
      ticket={ticket}
      action={cancelMyTicket.bind(null, token, locale)}
      locale={locale}
      refusal={refusal}
      by="attendee"
    />
  );
  return (
    <>
      <div className={`banner banner-${valid ? "success" : "warning"}`} role="status">
        <h1>{t("ticketPageTitle", { edition: editionName })}</h1>
        {!valid && <p>{order("statusValue", { status: shownStatus })}</p>}
      </div>
      {valid && <TicketQr ticket={ticket} holder={holder} />}
      <dl className="summary">
        <div>
          <dt>{order("attendee")}</dt>
          <dd data-testid="own-ticket-holder">
            {holder}
            {ticket.company && <> · {ticket.company}</>}
            <br />
            {ticket.email}
            <br />
            {order("ticketLine", { name: localized(ticket.ticketType, "name", locale) })}
          </dd>
        </div>
        <EditionFact label={order("edition")} edition={edition} locale={locale} />
        <div>
          <dt>{order("reference")}</dt>
          <dd className="reference">{`${ticket.order.reference}-${ticket.position}`}</dd>
        </div>
      </dl>
      {valid && (
        <section className="manage" aria-labelledby="manage-title">
          <h2 id="manage-title">{manage("title")}</h2>
          <FileLinks path={(file) => ticketFilePath(locale, token, file)} />
          <CertificateLinks
            links={certificate ? [{ href: ticketCertificatePath(locale, token), label: certificates("link") }] : []}
          />
          {rights.canEdit && (
            <details>
              <summary>{manage("editTitle")}</summary>
              <p className="muted">
                {manage("editHint", { date: formatDateTime(editDeadline, edition.timeZone, locale) })}
              </p>
              <AttendeeDetailsForm
                action={saveOwnTicketDetails.bind(null, token, locale)}
                initialValues={{ ...attendeeFormValues(ticket), ...answerFormValues(ticket.answers) }}
                questions={localizedQuestionFields(edition.questions, locale)}
              />
            </details>
          )}
          {rights.canTransfer && (
            <details>
              <summary>{manage("transferTitle")}</summary>
              <p className="muted">{manage("transferHint")}</p>
              <TransferForm action={transferOwnTicket.bind(null, token, locale)} />
            </details>
          )}
          <form action={chooseEmailLanguage.bind(null, token, locale)} className="email-language">
            <p id="email-language-label">
              <strong>{t("emailsIn")}</strong> <span className="muted">{t("emailsInHint")}</span>
            </p>
            <div role="group" aria-labelledby="email-language-label" className="inline-form">
              {(["fr", "en"] as const).map((code) => (
                <button
                  key={code}
                  type="submit"
                  name="emailLocale"
                  value={code}
                  lang={code}
                  aria-pressed={emailLocale === code}
                  className={emailLocale === code ? undefined : "button-secondary"}
                >
                  {t(code === "fr" ? "emailsInFr" : "emailsInEn")}
                </button>
              ))}
            </div>
          </form>
          {cancel}
        </section>
      )}
      {!valid && cancel}
      <DataRights
        email={ticket.email ?? ""}
        emailMyData={emailTicketData.bind(null, token, locale)}
        askForErasure={askTicketErasure.bind(null, token, locale)}
        done={privacy}
      />
      <p>
        <Link href={`/editions/${edition.slug}`}>← {order("backToEdition")}</Link>
      </p>
    </>
  );
}
