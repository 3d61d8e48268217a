import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm } from "@/components/admin/admin-form";
import { DoneNotice } from "@/components/admin/done-notice";
import {
  attendeeCancelFields,
  editionFields,
  orderLimitFields,
  queueFields,
  reminderFields,
  transferFields,
  waitingListFields,
} from "@/components/admin/edition-fields";
import { db } from "@/lib/db/prisma";
import { openingWarnings, type OpeningWarning } from "@/lib/editions/opening-check";
import { queueSettingsOf } from "@/lib/editions/queue-settings";
import { listDoorStaff } from "@/lib/editions/staff";
import { adminCertificateSamplePath, adminCertificateSignaturePath, adminInvoicingPath } from "@/lib/http/paths";
import { formatDateTime, localized, zoneName } from "@/lib/i18n/format";
import { loadOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { shiftWallClock, utcToZonedLocal } from "@/lib/time/zoned";
import { cloneEditionAction, saveEditionStaffAction, setEditionStatusAction, updateEditionAction } from "../../actions";
import { editionForPage } from "../edition-for-page";
import { sectionTitle } from "../section-title";
import { currentLocale } from "@/lib/i18n/page-locale";
import { certificateSettingsOf, MAX_SIGNATURE_BYTES } from "@/lib/certificates/settings";
import { practicalInfoDue } from "@/lib/messages/practical-info";
import { certificateSendCounts } from "@/lib/messages/send-certificates";
import { appNow } from "@/lib/time/clock";
import {
  saveCertificateSettingsAction,
  saveReminderSettingsAction,
  saveRetentionAction,
  sendAllCertificatesAction,
} from "./actions";

// Moving a draft straight to "closed" means nothing to anyone: only the changes that do.
const NEXT_STATUSES = { DRAFT: ["OPEN"], OPEN: ["CLOSED", "DRAFT"], CLOSED: ["OPEN", "DRAFT"] } as const;
// The conference comes back every six months: a clone's start is offered 26 weeks on, the same weekday.
const NEXT_EDITION_MS = 26 * 7 * 24 * 3600 * 1000;

export const generateMetadata = (): Promise<Metadata> => sectionTitle("tabSettings");

export default async function EditionSettingsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ done?: string }>;
}) {
  const { edition } = await editionForPage(params);
  const t = await getTranslations("editionForm");
  const tGroup = await getTranslations("groupTicket");
  const tSelf = await getTranslations("ticketSelfService.editionForm");
  const tReminder = await getTranslations("unnamedReminder");
  const tQueue = await getTranslations("waitingRoom.settings");
  const tTransfer = await getTranslations("transferAdmin");
  const tWaitingList = await getTranslations("waitingListAdmin.settings");
  const queue = await queueSettingsOf(db(), edition.id);
  const tCertificates = await getTranslations("certificates.settings");
  const certificates = await certificateSettingsOf(db(), edition.id);
  const invoicingMissing = !(await loadOrganiserProfile(db()));
  const locale = await currentLocale();
  const now = appNow();
  const tReminders = await getTranslations("remindersForm");
  const tSendAll = await getTranslations("certificates.sendAll");
  const tData = await getTranslations("dataRights.settings");
  const sendCounts = await certificateSendCounts(db(), edition.id);
  const toSend = sendCounts.eligible - sendCounts.reached;
  const certificatesReady = certificates.enabled && now >= edition.endsAt;
  const hidden = { editionId: edition.id };
  const staff = await listDoorStaff(db(), edition.id);
  const staffCount = staff.filter((user) => user.editions.length > 0).length;
  const warnings = edition.status === "OPEN" ? [] : openingWarnings({ ...edition, staffCount }, new Date());
  const typeName = (code: string) =>
    localized(edition.ticketTypes.find((type) => type.code === code) ?? { nameFr: code, nameEn: code }, "name", locale);
  const say = (warning: OpeningWarning) =>
    t(`openingWarning.${warning.code}`, {
      ticketTypes: "ticketTypes" in warning ? warning.ticketTypes.map(typeName).join(", ") : "",
      deadline: "deadline" in warning ? warning.deadline : "",
    });
  const warningTexts = warnings.map(say);
  const openConfirm =
    warningTexts.length > 0 ? t("openConfirmWithWarnings", { warnings: warningTexts.join(" ") }) : t("openConfirm");
  const nextStart = utcToZonedLocal(
    shiftWallClock(edition.startsAt, edition.timeZone, NEXT_EDITION_MS),
    edition.timeZone,
  );
  return (
    <div className="admin-columns">
      <section aria-labelledby="settings-title">
        <h2 id="settings-title">{t("settingsTitle")}</h2>
        <DoneNotice done={(await searchParams).done} />
        {invoicingMissing && (
          <p className="notice" data-testid="transfer-needs-invoicing">
            {tTransfer("settings.invoicingMissing")}{" "}
            <a href={adminInvoicingPath}>{tTransfer("message.invoicingLink")}</a>
          </p>
        )}
        <AdminForm
          action={updateEditionAction}
          fields={[
            ...editionFields(t, edition),
            ...orderLimitFields(tGroup, edition),
            ...attendeeCancelFields(tSelf, edition),
            ...queueFields(tQueue, edition, queue),
            ...transferFields((key) => tTransfer(`settings.${key}`), edition),
            ...waitingListFields(tWaitingList, edition),
          ]}
          hidden={hidden}
          submitLabel={t("save")}
          idPrefix="edition"
        />
      </section>
      <aside>
        <section aria-labelledby="status-title">
          <h2 id="status-title">{t("statusTitle")}</h2>
          <p className="muted">{t(`statusHelp.${edition.status}`)}</p>
          {warningTexts.length > 0 && (
            <div className="notice" data-testid="opening-warnings">
              <p>{t("openingWarningsTitle")}</p>
              <ul>
                {warningTexts.map((text) => (
                  <li key={text}>{text}</li>
                ))}
              </ul>
            </div>
          )}
          <div className="button-row">
            {NEXT_STATUSES[edition.status].map((status) => (
              <ActionButton
                key={status}
                action={setEditionStatusAction}
                hidden={{ ...hidden, status }}
                label={t(`setStatus.${status}`)}
                confirm={status === "OPEN" ? openConfirm : undefined}
              />
            ))}
          </div>
        </section>
        <section aria-labelledby="staff-title">
          <h2 id="staff-title">{t("staffTitle")}</h2>
          <p className="muted">{t("staffIntro")}</p>
          {staff.length === 0 ? (
            <p>{t("staffNone")}</p>
          ) : (
            <AdminForm
              action={saveEditionStaffAction}
              hidden={hidden}
              idPrefix="staff"
              submitLabel={t("staffSave")}
              legend={t("staffTitle")}
              fields={staff.map((user) => ({
                name: "userIds",
                value: user.id,
                type: "checkbox" as const,
                label: user.name ? `${user.name} (${user.email})` : user.email,
                defaultValue: user.editions.length > 0 ? "on" : undefined,
              }))}
            />
          )}
        </section>
        <section aria-labelledby="reminders-title">
          <h2 id="reminders-title">{tReminders("title")}</h2>
          <p className="muted">{tReminders("intro")}</p>
          <p data-testid="practical-info-due">{practicalInfoState(edition, now, tReminders, locale)}</p>
          <p className="muted">{tReminders("lateRegistrants")}</p>
          <AdminForm
            action={saveReminderSettingsAction}
            hidden={hidden}
            idPrefix="reminders"
            submitLabel={tReminders("save")}
            fields={reminderFields(
              (key) => tReminders(key, { zone: zoneName(edition.timeZone, locale, now) }),
              tReminder,
              edition,
            )}
          />
        </section>
        <section aria-labelledby="retention-title">
          <h2 id="retention-title">{tData("title")}</h2>
          <p className="muted">{tData("intro")}</p>
          {edition.anonymisedAt && (
            <p data-testid="anonymised-at">
              {tData("anonymisedAt", { date: formatDateTime(edition.anonymisedAt, edition.timeZone, locale) })}
            </p>
          )}
          <AdminForm
            action={saveRetentionAction}
            hidden={hidden}
            idPrefix="retention"
            submitLabel={tData("save")}
            fields={[
              {
                name: "retentionMonths",
                label: tData("retentionMonths"),
                type: "number",
                inputMode: "numeric",
                required: true,
                hint: tData("retentionMonthsHint"),
                defaultValue: String(edition.retentionMonths),
              },
            ]}
          />
        </section>
        <section aria-labelledby="certificates-title">
          <h2 id="certificates-title">{tCertificates("title")}</h2>
          <p className="muted">{tCertificates("intro")}</p>
          {invoicingMissing && <p className="notice">{tCertificates("noOrganiser")}</p>}
          <p data-testid="certificate-signature">
            {certificates.signature
              ? tCertificates("signatureSaved", {
                  type: certificates.signatureType === "image/png" ? "PNG" : "JPEG",
                  size: Math.ceil(certificates.signature.byteLength / 1024),
                })
              : tCertificates("signatureNone")}
          </p>
          {certificates.signature && (
            // eslint-disable-next-line @next/next/no-img-element -- an admin-only image answered private, no-store
            <img
              src={adminCertificateSignaturePath(edition.slug, certificates.updatedAt?.getTime())}
              alt={tCertificates("signaturePreview")}
              style={{ maxWidth: "100%", height: "auto", maxHeight: "8rem", border: "1px solid #d0d4da" }}
              data-testid="certificate-signature-image"
            />
          )}
          {certificates.signature && certificates.minutes && certificates.signatoryName && (
            <p>
              <a href={adminCertificateSamplePath(edition.slug)} download data-testid="certificate-sample">
                {tCertificates("sampleLink")}
              </a>
            </p>
          )}
          <AdminForm
            action={saveCertificateSettingsAction}
            hidden={hidden}
            idPrefix="certificates"
            submitLabel={tCertificates("save")}
            fields={[
              {
                name: "enabled",
                label: tCertificates("enabled"),
                type: "checkbox",
                defaultValue: certificates.enabled ? "on" : "",
              },
              {
                name: "minutes",
                label: tCertificates("minutes"),
                type: "number",
                inputMode: "numeric",
                hint: tCertificates("minutesHint"),
                defaultValue: certificates.minutes?.toString() ?? "",
              },
              {
                name: "signatoryName",
                label: tCertificates("signatoryName"),
                defaultValue: certificates.signatoryName ?? "",
              },
              {
                name: "signatoryTitle",
                label: tCertificates("signatoryTitle"),
                defaultValue: certificates.signatoryTitle ?? "",
              },
              {
                name: "signature",
                label: tCertificates("signature"),
                type: "file",
                accept: "image/png,image/jpeg",
                maxBytes: { bytes: MAX_SIGNATURE_BYTES, error: "signature_too_large" },
                hint: tCertificates("signatureHint"),
              },
              ...(certificates.signature
                ? [{ name: "removeSignature", label: tCertificates("removeSignature"), type: "checkbox" as const }]
                : []),
            ]}
          />
        </section>
        <section aria-labelledby="send-certificates-title">
          <h2 id="send-certificates-title">{tSendAll("title")}</h2>
          <p data-testid="certificate-send-counts">{tSendAll("counts", sendCounts)}</p>
          {!certificates.enabled ? (
            <p className="muted">{tSendAll("disabled")}</p>
          ) : !certificatesReady ? (
            <p className="muted">
              {tSendAll("notEnded", { when: formatDateTime(edition.endsAt, edition.timeZone, locale) })}
            </p>
          ) : (
            // Shown even when everyone was reached: the form must stay to show its answer after the page refreshes.
            <AdminForm
              action={sendAllCertificatesAction}
              hidden={hidden}
              idPrefix="send-certificates"
              fields={[]}
              submitLabel={tSendAll("button", { count: toSend })}
              confirm={toSend > 0 ? tSendAll("confirm", { count: toSend }) : undefined}
            />
          )}
        </section>
        <section aria-labelledby="clone-title">
          <h2 id="clone-title">{t("cloneTitle")}</h2>
          <p className="muted">{t("cloneIntro")}</p>
          <AdminForm
            action={cloneEditionAction}
            hidden={hidden}
            idPrefix="clone"
            submitLabel={t("clone")}
            fields={[
              { name: "nameFr", label: t("nameFr"), required: true },
              { name: "nameEn", label: t("nameEn"), required: true },
              { name: "slug", label: t("slug"), required: true, hint: t("slugHint") },
              {
                name: "startsAt",
                label: t("cloneStartsAt"),
                type: "datetime-local",
                required: true,
                hint: t("cloneStartsAtHint"),
                defaultValue: nextStart,
              },
            ]}
          />
        </section>
      </aside>
    </div>
  );
}

/** When the practical information leaves (the sweep's rule, through its TypeScript twin), in the edition's zone. */
function practicalInfoState(
  edition: Parameters<typeof practicalInfoDue>[0],
  now: Date,
  t: (key: string, values?: Record<string, string>) => string,
  locale: Parameters<typeof formatDateTime>[2],
): string {
  const due = practicalInfoDue(edition);
  if (due === null) return t("off");
  if (now >= edition.startsAt) return t("started");
  const when = formatDateTime(due, edition.timeZone, locale);
  return t(now >= due ? "sending" : "due", { when });
}
