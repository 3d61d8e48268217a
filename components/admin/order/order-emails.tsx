import { getTranslations } from "next-intl/server";
import { formatDateTime } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { isErased } from "@/lib/privacy/erased";

type Props = {
  emails: {
    id: string;
    kind: string;
    toAddress: string;
    status: string;
    attempts: number;
    lastError: string | null;
    createdAt: Date;
    sentAt: Date | null;
  }[];
  timeZone: string;
  locale: Locale;
};

/** The emails an order caused, to whom, and whether each left. */
export async function OrderEmails({ emails, timeZone, locale }: Props) {
  const t = await getTranslations("attendees");
  const words = await getTranslations("emails");
  const erased = await getTranslations("dataRights.erased");
  const kind = (name: string) => (words.has(`kind.${name}`) ? words(`kind.${name}`) : name);
  const state = (email: Props["emails"][number]) => {
    if (email.status === "SENT") return t("emailSent");
    if (email.status === "FAILED") {
      return words("deliveryStatus.FAILED", { attempts: email.attempts, error: email.lastError ?? "" });
    }
    if (email.status === "SUPERSEDED") return words("deliveryStatus.SUPERSEDED");
    return t("emailPending", { attempts: email.attempts });
  };
  return (
    <>
      <h3 className="subsection">{t("emailsTitle")}</h3>
      {emails.length === 0 ? (
        <p>{t("noEmails")}</p>
      ) : (
        <ul className="timeline">
          {emails.map((email) => (
            <li key={email.id}>
              {formatDateTime(email.sentAt ?? email.createdAt, timeZone, locale)} — {kind(email.kind)} →{" "}
              {isErased({ email: email.toAddress }) ? erased("holder") : email.toAddress} · {state(email)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
