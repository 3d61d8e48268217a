import type { KeyObject } from "node:crypto";
import type { Transporter } from "nodemailer";
import type { Db } from "@/lib/db/prisma";
import { signTicketCode } from "@/lib/tickets/codes";
import { qrPng } from "@/lib/tickets/issue";
import { renderTicketsPdf } from "@/lib/tickets/pdf";
import { localized } from "@/lib/i18n/format";
import { renderLinkEmail, renderOrderConfirmation, renderTransferNotice } from "./templates/order-confirmation";

export type DeliveryDeps = { db: Db; transport: Transporter; from: string; appUrl: string; signingKey: KeyObject };

export type DeliveryOutcome = "sent" | "already_sent" | "busy" | "missing";

/**
 * Sends one outbox email over SMTP and marks it SENT, holding the outbox row's lock meanwhile so
 * two workers never send it at once; once SENT it is never sent again. A failure records the
 * attempt and rethrows, and the job queue retries with backoff.
 */
export async function deliverOutboxEmail(deps: DeliveryDeps, outboxId: string): Promise<DeliveryOutcome> {
  const { db } = deps;
  try {
    return await db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM "EmailOutbox" WHERE id = ${outboxId}::uuid FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) {
          return (await tx.emailOutbox.count({ where: { id: outboxId } })) === 0 ? "missing" : "busy";
        }
        if (rows[0].status === "SENT") return "already_sent";
        const email = await tx.emailOutbox.findUniqueOrThrow({
          where: { id: outboxId },
          include: { order: { include: { edition: true, tickets: { include: { ticketType: true }, orderBy: { createdAt: "asc" } } } } },
        });
        const payload = email.payload as { codeVersion?: number; from?: string; to?: string; toEmail?: string; url?: string };
        const markSent = (note: string | null) =>
          tx.emailOutbox.update({ where: { id: outboxId }, data: { status: "SENT", sentAt: new Date(), attempts: { increment: 1 }, lastError: note } });
        const message = { from: deps.from, to: email.toAddress, messageId: `<${outboxId}@guichet>` };
        if (email.kind === "returning_prefill" || email.kind === "sign_in_link") {
          const purpose = email.kind === "returning_prefill" ? "prefill" : "signIn";
          await deps.transport.sendMail({ ...message, ...renderLinkEmail({ locale: email.locale, url: payload.url ?? "", purpose }) });
          await markSent(null);
          return "sent";
        }
        if (!email.order) return "missing";
        const order = email.order;

        if (email.kind === "ticket_transfer_sent") {
          const notice = renderTransferNotice({ locale: order.locale, editionName: localized(order.edition, "name", order.locale), name: payload.to ?? "", email: payload.toEmail ?? "" });
          await deps.transport.sendMail({ ...message, ...notice });
          await markSent(null);
          return "sent";
        }
        // A ticket transferred again before this email left must not reveal the newer holder's link.
        if (email.kind === "ticket_transfer_received" && order.tickets[0]?.codeVersion !== payload.codeVersion) {
          await markSent("superseded by a later transfer");
          return "already_sent";
        }
        const codes = new Map(
          order.tickets.map((ticket) => [ticket.id, signTicketCode({ ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion }, deps.signingKey)]),
        );
        const rendered = renderOrderConfirmation({
          order,
          codes,
          orderUrl: `${deps.appUrl}/${order.locale}/orders/${order.accessToken}`,
          transferredFrom: email.kind === "ticket_transfer_received" ? payload.from : undefined,
        });
        await deps.transport.sendMail({
          ...message,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          attachments: [
            ...(await Promise.all(rendered.inlineQr.map(async ({ cid, code }) => ({ filename: "qr.png", content: await qrPng(code), cid, contentType: "image/png" })))),
            { filename: `ticket-${order.reference}.pdf`, content: await renderTicketsPdf(rendered.pdfTickets, order.locale), contentType: "application/pdf" },
          ],
        });
        await markSent(null);
        return "sent";
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  } catch (error) {
    await db.emailOutbox
      .update({ where: { id: outboxId }, data: { attempts: { increment: 1 }, lastError: error instanceof Error ? error.message.slice(0, 1000) : String(error) } })
      .catch(() => {});
    throw error;
  }
}
