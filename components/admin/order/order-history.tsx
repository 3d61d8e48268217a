import { getTranslations } from "next-intl/server";
import { formatDateTime } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { isErased } from "@/lib/privacy/erased";

type Props = {
  transitions: { id: string; createdAt: Date; toStatus: string; reason: string | null }[];
  entries: { id: string; createdAt: Date; action: string; actorEmail: string }[];
  timeZone: string;
  locale: Locale;
};

/** An order's life in the back office: its status changes, then what organisers did to it and its tickets. */
export async function OrderHistory({ transitions, entries, timeZone, locale }: Props) {
  const t = await getTranslations("attendees");
  const reasons = await getTranslations("staffAndAudit.transitionReason");
  const selfReasons = await getTranslations("ticketSelfService.transitionReason");
  const audit = await getTranslations("staffAndAudit.audit.action");
  const erased = await getTranslations("dataRights.erased");
  const actionText = (action: string) =>
    t.has(`auditAction.${action}`) ? t(`auditAction.${action}`) : audit.has(action) ? audit(action) : action;
  const reasonText = (reason: string) =>
    reasons.has(reason) ? reasons(reason) : selfReasons.has(reason) ? selfReasons(reason) : reason;
  const when = (date: Date) => formatDateTime(date, timeZone, locale);
  return (
    <>
      <h3 className="subsection">{t("historyTitle")}</h3>
      <ol className="timeline">
        {transitions.map((transition) => (
          <li key={transition.id}>
            {when(transition.createdAt)} — {t(`orderStatus.${transition.toStatus}`)}
            {transition.reason && ` (${reasonText(transition.reason)})`}
          </li>
        ))}
        {entries.map((entry) => (
          <li key={entry.id}>
            {when(entry.createdAt)} — {actionText(entry.action)} ·{" "}
            {isErased({ email: entry.actorEmail }) ? erased("holder") : entry.actorEmail}
          </li>
        ))}
      </ol>
    </>
  );
}
