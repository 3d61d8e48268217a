import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { loadOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { CNIL_COMPLAINT_URL } from "@/lib/notifications/templates/privacy-emails";
import { privacyController } from "@/lib/privacy/controller";

export const dynamic = "force-dynamic";

// The retention policy's default (docs/operations.md, "Retention"): an edition may set its own.
const RETENTION_MONTHS = 12;

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const locale = await resolvePageLocale(params);
  return { title: (await getTranslations({ locale, namespace: "privacy" }))("title") };
}

const COLLECTED = [
  "registration",
  "payment",
  "invoices",
  "checkin",
  "security",
  "waitingList",
  "emails",
  "certificates",
] as const;

/** A rich message's `<link>` as a mail link to `email`. */
function mailLink(email: string) {
  return function MailLink(chunks: ReactNode) {
    return <a href={`mailto:${email}`}>{chunks}</a>;
  };
}

export default async function PrivacyPage({ params }: { params: Promise<{ locale: string }> }) {
  const locale = await resolvePageLocale(params);
  const t = await getTranslations("privacy");
  const common = await getTranslations("common");
  const controller = privacyController(await loadOrganiserProfile(db()), env().MAIL_FROM, common("appName"));
  const country = controller.address
    ? new Intl.DisplayNames([locale], { type: "region", fallback: "code" }).of(controller.address.country)
    : undefined;
  return (
    <article className="narrow privacy-notice">
      <h1>{t("title")}</h1>
      <p className="lead">{t("intro")}</p>

      <h2>{t("controllerHeading")}</h2>
      <p>{t("controller", { name: controller.name })}</p>
      {controller.address && (
        <p>{t("controllerAddress", { address: [...controller.address.lines, country].join(", ") })}</p>
      )}
      {controller.email && (
        <p>{t.rich("controllerContact", { email: controller.email, link: mailLink(controller.email) })}</p>
      )}

      <h2>{t("collectedHeading")}</h2>
      <dl className="privacy-list">
        {COLLECTED.map((item) => (
          <div key={item}>
            <dt>{t(`${item}Title`)}</dt>
            <dd>{t(item)}</dd>
          </div>
        ))}
      </dl>

      <h2>{t("basesHeading")}</h2>
      <ul>
        <li>{t("basesContract")}</li>
        <li>{t("basesLegalObligation")}</li>
        <li>{t("basesLegitimateInterest")}</li>
        <li>{t("basesConsent")}</li>
      </ul>

      <h2>{t("retentionHeading")}</h2>
      <ul>
        <li>{t("retentionAttendees", { months: RETENTION_MONTHS })}</li>
        <li>{t("retentionInvoices")}</li>
        <li>{t("retentionSecurity")}</li>
        <li>{t("retentionBackups")}</li>
        <li>{t("retentionStripe")}</li>
      </ul>

      <h2>{t("recipientsHeading")}</h2>
      <ul>
        <li>{t("recipientsOrganisers")}</li>
        <li>{t("recipientsBuyer")}</li>
        <li>{t("recipientsStripe")}</li>
        <li>{t("recipientsMail")}</li>
      </ul>

      <h2>{t("rightsHeading")}</h2>
      <p>{t("rightsIntro")}</p>
      <ul>
        <li>{t("rightsAccess")}</li>
        <li>{t("rightsRectification")}</li>
        <li>{t("rightsErasure")}</li>
        <li>{t("rightsObjection")}</li>
        <li>{t("rightsPortability")}</li>
      </ul>
      {controller.email && (
        <p>{t.rich("rightsHowTo", { email: controller.email, link: mailLink(controller.email) })}</p>
      )}

      <h2>{t("complaintHeading")}</h2>
      <p>
        {t.rich("complaint", {
          link: (chunks) => (
            <a href={CNIL_COMPLAINT_URL[locale]} rel="noopener">
              {chunks}
            </a>
          ),
        })}
      </p>
    </article>
  );
}
