import { getTranslations } from "next-intl/server";
import type { TicketTypeOffer } from "@/lib/editions/queries";
import { formatDateTime } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";

/** One line on when a ticket type can be bought, or nothing when it always can. */
export async function SaleWindow({
  ticketType,
  timeZone,
  locale,
}: {
  ticketType: TicketTypeOffer;
  timeZone: string;
  locale: Locale;
}) {
  const t = await getTranslations("edition");
  const at = (date: Date) => formatDateTime(date, timeZone, locale);
  if (ticketType.saleState === "ended") return <span className="muted">{t("salesEnded")}</span>;
  if (ticketType.saleState === "not_started" && ticketType.salesStartAt) {
    return <span className="muted">{t("salesFrom", { date: at(ticketType.salesStartAt) })}</span>;
  }
  if (ticketType.salesEndAt)
    return <span className="muted">{t("salesUntil", { date: at(ticketType.salesEndAt) })}</span>;
  return null;
}
