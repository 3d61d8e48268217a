import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/prisma";
import { emailHash } from "@/lib/messages/opt-out";
import { completeRequest } from "./requests";

/** Questions' labels by key, in both languages: an answer is exported beside the question it answers. */
type QuestionLabels = Map<string, { fr: string; en: string }>;

const editionOf = (edition: { slug: string; nameFr: string; nameEn: string; startsAt: Date; endsAt: Date }) => ({
  slug: edition.slug,
  name: { fr: edition.nameFr, en: edition.nameEn },
  startsAt: edition.startsAt,
  endsAt: edition.endsAt,
});

const typeOf = (type: { code: string; nameFr: string; nameEn: string }) => ({
  code: type.code,
  name: { fr: type.nameFr, en: type.nameEn },
});

function answersWithLabels(answers: unknown, labels: QuestionLabels) {
  if (!answers || typeof answers !== "object") return [];
  return Object.entries(answers as Record<string, unknown>).map(([key, value]) => ({
    question: labels.get(key) ?? { fr: key, en: key },
    answer: value,
  }));
}

/**
 * Everything Guichet holds under one address, across every edition (docs/operations.md, "Export"): orders it bought
 * (others' tickets in them by type and status only), tickets it holds with their answers and scans, waiting-list
 * entries and offers, emails sent to it (no bodies), organisers' messages, the opt-out and its data requests.
 * The address is the caller's (a signed mailbox link, or an admin); it is matched trimmed and lower-cased.
 */
export async function exportAddress(db: Db, emailKey: string) {
  const address = { equals: emailKey, mode: "insensitive" as const };
  const [orders, tickets, entries, emails, messages, optedOut, requests] = await Promise.all([
    db.order.findMany({
      where: { buyerEmail: address },
      orderBy: { createdAt: "asc" },
      include: {
        edition: true,
        billing: true,
        invoices: { orderBy: { issuedAt: "asc" } },
        refunds: { orderBy: { createdAt: "asc" } },
        tickets: { orderBy: { position: "asc" }, include: { ticketType: true } },
      },
    }),
    db.ticket.findMany({
      where: { email: address },
      orderBy: { createdAt: "asc" },
      include: {
        edition: { include: { questions: true } },
        ticketType: true,
        order: { select: { reference: true } },
        scans: { orderBy: { scannedAt: "asc" }, select: { scannedAt: true, result: true } },
      },
    }),
    db.waitingListEntry.findMany({
      where: { emailKey },
      orderBy: { joinedAt: "asc" },
      include: {
        edition: true,
        ticketTypes: { include: { ticketType: true } },
        offers: { orderBy: { createdAt: "asc" }, include: { ticketType: true } },
      },
    }),
    db.emailOutbox.findMany({
      where: { toAddress: address },
      orderBy: { createdAt: "asc" },
      select: { kind: true, createdAt: true, sentAt: true, status: true },
    }),
    db.messageRecipient.findMany({
      where: { emailKey, skipped: null },
      orderBy: { createdAt: "asc" },
      include: { message: { select: { subjectFr: true, subjectEn: true, queuedAt: true } } },
    }),
    db.emailOptOut.count({ where: { emailHash: emailHash(emailKey) } }),
    db.privacyRequest.findMany({
      where: { emailHash: emailHash(emailKey) },
      orderBy: { requestedAt: "asc" },
      select: { kind: true, status: true, requestedAt: true, completedAt: true },
    }),
  ]);

  return {
    address: emailKey,
    orders: orders.map((order) => ({
      edition: editionOf(order.edition),
      reference: order.reference,
      status: order.status,
      buyer: {
        firstName: order.buyerFirstName,
        lastName: order.buyerLastName,
        email: order.buyerEmail,
        company: order.buyerCompany,
      },
      amountCents: order.amountCents,
      currency: order.currency,
      paymentMethod: order.paymentMethod,
      createdAt: order.createdAt,
      confirmedAt: order.confirmedAt,
      billing: order.billing && {
        organisation: order.billing.organisation,
        address: order.billing.address,
        addressMore: order.billing.addressMore,
        postcode: order.billing.postcode,
        city: order.billing.city,
        country: order.billing.country,
        siren: order.billing.siren,
        siret: order.billing.siret,
        vatNumber: order.billing.vatNumber,
        purchaseOrder: order.billing.purchaseOrder,
        accountsEmail: order.billing.accountsEmail,
      },
      invoices: order.invoices.map((invoice) => ({
        number: invoice.number,
        kind: invoice.kind,
        issuedAt: invoice.issuedAt,
        includingVatCents: invoice.includingVatCents,
        currency: invoice.currency,
      })),
      refunds: order.refunds.map((refund) => ({
        amountCents: refund.amountCents,
        currency: refund.currency,
        status: refund.status,
        createdAt: refund.createdAt,
        settledAt: refund.settledAt,
      })),
      // Other people's tickets in the order: what they are, never who holds them.
      tickets: order.tickets.map((ticket) => ({
        position: ticket.position,
        type: typeOf(ticket.ticketType),
        status: ticket.status,
      })),
    })),
    tickets: tickets.map((ticket) => {
      const labels: QuestionLabels = new Map(
        ticket.edition.questions.map((question) => [question.key, { fr: question.labelFr, en: question.labelEn }]),
      );
      return {
        edition: editionOf(ticket.edition),
        order: ticket.order.reference,
        type: typeOf(ticket.ticketType),
        holder: {
          firstName: ticket.firstName,
          lastName: ticket.lastName,
          email: ticket.email,
          company: ticket.company,
        },
        answers: answersWithLabels(ticket.answers, labels),
        priceCents: ticket.priceCents,
        status: ticket.status,
        checkedInAt: ticket.checkedInAt,
        scans: ticket.scans,
      };
    }),
    waitingList: entries.map((entry) => ({
      edition: editionOf(entry.edition),
      name: entry.name,
      email: entry.email,
      seatsWanted: entry.seatsWanted,
      acceptsFewer: entry.acceptsFewer,
      ticketTypes: entry.ticketTypes.map((accepted) => typeOf(accepted.ticketType)),
      status: entry.status,
      joinedAt: entry.joinedAt,
      closedAt: entry.closedAt,
      offers: entry.offers.map((offer) => ({
        type: typeOf(offer.ticketType),
        seats: offer.seats,
        status: offer.status,
        offeredAt: offer.offeredAt,
        expiresAt: offer.expiresAt,
      })),
    })),
    emails: emails.map((email) => ({
      kind: email.kind,
      createdAt: email.createdAt,
      sentAt: email.sentAt,
      status: email.status,
    })),
    messages: messages.map((recipient) => ({
      subject: { fr: recipient.message.subjectFr, en: recipient.message.subjectEn },
      sentAt: recipient.message.queuedAt,
    })),
    optedOutOfNews: optedOut > 0,
    requests,
  };
}

/** The export as a downloaded file holds it. */
export type AddressExport = Awaited<ReturnType<typeof exportAddress>>;

/**
 * An admin downloads an address's data (an access request received by post or email, or from the list): the export,
 * with its ACCESS request recorded DONE (an open one closed) and audited; the audit names the request, never the
 * address.
 */
export async function exportForOrganiser(db: Db, emailKey: string, actor: AuditActor, now: Date) {
  const data = await exportAddress(db, emailKey);
  await db.$transaction(async (tx) => {
    const requestId = await completeRequest(tx, "ACCESS", emailKey, actor, now);
    await recordAudit(tx, actor, {
      editionId: null,
      action: "privacy.exported",
      subjectType: "privacy_request",
      subjectId: requestId,
    });
  });
  return data;
}
