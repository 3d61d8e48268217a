import "server-only";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { formatDateRange, localized } from "@/lib/i18n/format";
import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { holderName } from "@/lib/orders/holder";
import { getOrderByAccessToken, getOrderOfTicket, getTicketByAccessToken } from "@/lib/orders/queries";
import { buildIcs } from "./calendar";
import { currentTicketCode } from "./issue";
import { renderTicketsPdf } from "./pdf";
import { recordStanding } from "./standing";
import { absoluteUrl, orderPath, ticketPath } from "@/lib/http/paths";

type Files = NonNullable<Awaited<ReturnType<typeof getOrderByAccessToken>>> & { link: string; ownTicket: boolean };

/**
 * The confirmed order behind a private link, with the live tickets that link holds, or null: every
 * ticket of the order for the buyer's link, one ticket for an attendee's own ticket link.
 */
async function confirmedOrder(accessToken: string): Promise<Files | null> {
  const order = await getOrderByAccessToken(db(), accessToken);
  if (order) {
    if (order.status !== "CONFIRMED") return null;
    const tickets = order.tickets.filter((ticket) => recordStanding(ticket, order) === "valid");
    return { ...order, tickets, link: orderPath(order.locale, accessToken), ownTicket: false };
  }
  const own = await getTicketByAccessToken(db(), accessToken);
  if (!own || recordStanding(own, own.order) !== "valid") return null;
  const ofTicket = await getOrderOfTicket(db(), own.id);
  if (!ofTicket) return null;
  const tickets = ofTicket.tickets.filter((ticket) => ticket.id === own.id);
  return { ...ofTicket, tickets, link: ticketPath(ofTicket.locale, accessToken), ownTicket: true };
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
  const suffix = order.ownTicket ? `-${order.tickets[0].position}` : "";
  return { filename: `ticket-${order.reference}${suffix}.pdf`, pdf };
}

export async function calendarFor(accessToken: string): Promise<{ filename: string; ics: string } | null> {
  const order = await confirmedOrder(accessToken);
  if (!order) return null;
  const { edition, locale } = order;
  const orderUrl = absoluteUrl(env().APP_URL, order.link);
  const ics = buildIcs({
    uid: order.ownTicket ? `ticket-${order.tickets[0].id}@guichet` : `order-${order.id}@guichet`,
    start: edition.startsAt,
    end: edition.endsAt,
    summary: localized(edition, "name", locale),
    location: `${edition.venueName}, ${edition.venueAddress}`,
    description: `${order.reference} · ${orderUrl}`,
    url: orderUrl,
  });
  return { filename: `${edition.slug}.ics`, ics };
}
