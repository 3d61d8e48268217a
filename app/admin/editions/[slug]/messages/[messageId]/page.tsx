import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm } from "@/components/admin/admin-form";
import { LiveRefresh } from "@/components/admin/live-refresh";
import { db } from "@/lib/db/prisma";
import { adminEditionPath, adminMessageEditPath } from "@/lib/http/paths";
import { formatDateTime } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import { messageProgress } from "@/lib/messages/progress";
import { previewRecipients } from "@/lib/messages/recipients";
import { appNow } from "@/lib/time/clock";
import { editionForPage } from "../../edition-for-page";
import { resendFailedAction, scheduleMessageAction, sendNowAction, stopMessageAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("messagesAdmin");
  return { title: t("message") };
}

export default async function MessagePage({ params }: { params: Promise<{ slug: string; messageId: string }> }) {
  const { edition } = await editionForPage(params);
  const { messageId } = await params;
  const message = /^[0-9a-f-]{36}$/.test(messageId)
    ? await db().message.findFirst({ where: { id: messageId, editionId: edition.id } })
    : null;
  if (!message) notFound();
  const locale = await currentLocale();
  const t = await getTranslations("messagesAdmin");
  const now = appNow();
  const leaving = message.status === "DRAFT" || message.status === "SCHEDULED";
  const [progress, preview] = await Promise.all([
    messageProgress(db(), message.id),
    leaving ? previewRecipients(db(), message, now) : null,
  ]);
  const when = (date: Date) => formatDateTime(date, edition.timeZone, locale);
  const hidden = { editionId: edition.id, editionSlug: edition.slug, messageId: message.id };
  return (
    <>
      <p>
        <Link href={adminEditionPath(edition.slug, "messages")}>{t("back")}</Link>
      </p>
      <h2>{t("message")}</h2>
      <ul className="stat-list" data-testid="message-facts">
        <li>{t(`audienceName.${message.audience}`)}</li>
        <li>{message.essential ? t("essentialYes") : t("essentialNo")}</li>
        <li data-testid="message-status">{t(`statusName.${message.status}`)}</li>
        {message.sendAt && <li>{t("scheduledFor", { date: when(message.sendAt) })}</li>}
      </ul>
      {!leaving && (
        <>
          <LiveRefresh seconds={5} label={t("updatedAt", { time: when(now) })} />
          <p role="status" data-testid="message-progress">
            {t("progressLine", { ...progress })}
          </p>
        </>
      )}
      {preview && (
        <section aria-labelledby="preview-title">
          <h3 id="preview-title">{t("previewTitle")}</h3>
          <p data-testid="message-preview">
            {t("previewCounts", { total: preview.total, ...preview.byLocale, optedOut: preview.optedOut })}
          </p>
          <ul>
            {preview.rows.map((row) => (
              <li key={row.emailKey}>
                {row.firstName} &lt;{row.toAddress}&gt; ({row.locale}){row.skipped ? ` · ${t("optedOut")}` : ""}
              </li>
            ))}
          </ul>
        </section>
      )}
      {(["Fr", "En"] as const).map((language) => (
        <section key={language} lang={language.toLowerCase()} aria-label={t(`text${language}`)}>
          <h3>{t(`text${language}`)}</h3>
          <p>
            <strong>{message[`subject${language}`]}</strong>
          </p>
          <pre className="message-body">{message[`body${language}`]}</pre>
        </section>
      ))}
      {leaving && preview && (
        <>
          <p>
            <Link href={adminMessageEditPath(edition.slug, message.id)}>{t("edit")}</Link>
          </p>
          <ActionButton
            action={sendNowAction}
            hidden={hidden}
            label={t("sendNow")}
            confirm={t("sendNowConfirm", { count: preview.total - preview.optedOut })}
          />
          <AdminForm
            action={scheduleMessageAction}
            fields={[{ name: "sendAt", label: t("sendAt", { zone: edition.timeZone }), type: "datetime-local" }]}
            hidden={hidden}
            submitLabel={t("schedule")}
            idPrefix="schedule"
          />
        </>
      )}
      {message.status !== "CANCELLED" && message.status !== "DRAFT" && (
        <ActionButton action={stopMessageAction} hidden={hidden} label={t("stop")} confirm={t("stopConfirm")} danger />
      )}
      {progress.failed > 0 && message.status !== "CANCELLED" && (
        <ActionButton
          action={resendFailedAction}
          hidden={hidden}
          label={t("resendFailed", { count: progress.failed })}
        />
      )}
    </>
  );
}
