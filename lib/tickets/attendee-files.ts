import "server-only";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { formatDateRange, localized } from "@/lib/i18n/format";
import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json";
import fr from "@/lib/i18n/messages/fr.json";
import { holderName } from "@/lib/orders/holder";
import { getOrderByAccessToken } from "@/lib/orders/queries";
import { buildIcs } from "./calendar";
import { currentTicketCode } from "./issue";
import { renderTicketsPdf } from "./pdf";
import { recordStanding } from "./standing";
import { absoluteUrl, orderPath } from "@/lib/http/paths";

/** The confirmed order behind a private link, with its active tickets, or null. */
async function confirmedOrder(accessToken: string) {
  const order = await getOrderByAccessToken(db(), accessToken);
  if (!order || order.status !== "CONFIRMED") return null;
  return { ...order, tickets: order.tickets.filter((ticket) => recordStanding(ticket, order) === "valid") };
}

export async function ticketPdfFor(accessToken: string): Promise<{ filename: string; pdf: Buffer } | null> {
  const order = await confirmedOrder(accessToken);
  if (!order) return null;
  const { edition, locale } = order;
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en, namespace: "groupTicket" });
  const pdf = await renderTicketsPdf(
    order.tickets.map((ticket) => ({
      code: currentTicketCode(ticket),
      holder: holderName(ticket) ?? t("unnamedTicket", { position: ticket.position }),
      company: ticket.company,
      ticketType: localized(ticket.ticketType, "name", locale),
      editionName: localized(edition, "name", locale),
      when: formatDateRange(edition.startsAt, edition.endsAt, edition.timeZone, locale),
      where: `${edition.venueName}, ${edition.venueAddress}`,
      reference: order.reference,
    })),
    locale,
  );
  return { filename: `ticket-${order.reference}.pdf`, pdf };
}

export async function calendarFor(accessToken: string): Promise<{ filename: string; ics: string } | null> {
  const order = await confirmedOrder(accessToken);
  if (!order) return null;
  const { edition, locale } = order;
  const orderUrl = absoluteUrl(env().APP_URL, orderPath(locale, accessToken));
  const ics = buildIcs({
    uid: `order-${order.id}@guichet`,
    start: edition.startsAt,
    end: edition.endsAt,
    summary: localized(edition, "name", locale),
    location: `${edition.venueName}, ${edition.venueAddress}`,
    description: `${order.reference} · ${orderUrl}`,
    url: orderUrl,
  });
  return { filename: `${edition.slug}.ics`, ics };
}
