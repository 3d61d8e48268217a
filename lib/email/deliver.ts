import type { KeyObject } from "node:crypto";
import type { Transporter } from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { signTicketCode } from "@/lib/tickets/codes";
import { qrPng } from "@/lib/tickets/issue";
import { renderTicketsPdf } from "@/lib/tickets/pdf";
import { localized } from "@/lib/i18n/format";
import { accessTokenHash, type ConfirmationSnapshot, type StatusEmailPayload } from "./outbox";
import { EMAIL_RETRY_POLICY } from "./queue";
import { renderLinkEmail, renderOrderConfirmation, renderTransferNotice } from "./templates/order-confirmation";
import { renderEmailChangedNotice } from "./templates/email-changed";
import { renderStatusEmail } from "./templates/order-status";

export type DeliveryDeps = {
  db: Db;
  transport: Transporter;
  from: string;
  appUrl: string;
  signingKey: KeyObject;
  /** Failed attempts, over every job of one email, before it is FAILED (EMAIL_RETRY_POLICY by default). */
  maxAttempts?: number;
};

export type DeliveryOutcome = "sent" | "not_pending" | "superseded" | "failed" | "busy" | "missing";

type OutboxEmail = Prisma.EmailOutboxGetPayload<{
  include: { order: { include: { edition: true; tickets: { include: { ticketType: true } } } } };
}>;

type Composed = { send: Omit<Mail.Options, "from" | "to" | "messageId"> } | { supersededBecause: string } | "missing";

/**
 * Sends one outbox email over SMTP and marks it SENT, holding the outbox row's lock meanwhile so
 * two workers never send it at once; only a PENDING email is ever sent. A failure records the
 * attempt: a permanent SMTP refusal (5xx) or the last attempt of the retry policy makes it FAILED,
 * anything else is rethrown for the job queue to retry with backoff.
 */
export async function deliverOutboxEmail(deps: DeliveryDeps, outboxId: string): Promise<DeliveryOutcome> {
  const { db } = deps;
  try {
    return await db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<{ status: string }[]>`
          SELECT status::text AS status FROM "EmailOutbox" WHERE id = ${outboxId}::uuid FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) {
          return (await tx.emailOutbox.count({ where: { id: outboxId } })) === 0 ? "missing" : "busy";
        }
        if (rows[0].status !== "PENDING") return "not_pending";
        const email = await tx.emailOutbox.findUniqueOrThrow({
          where: { id: outboxId },
          include: {
            order: {
              include: { edition: true, tickets: { include: { ticketType: true }, orderBy: { createdAt: "asc" } } },
            },
          },
        });
        const composed = await composeEmail(deps, email);
        if (composed === "missing") return "missing";
        if ("supersededBecause" in composed) {
          await tx.emailOutbox.update({
            where: { id: outboxId },
            data: { status: "SUPERSEDED", lastError: composed.supersededBecause },
          });
          return "superseded";
        }
        await deps.transport.sendMail({
          from: deps.from,
          to: email.toAddress,
          messageId: `<${outboxId}@guichet>`,
          ...composed.send,
        });
        await tx.emailOutbox.update({
          where: { id: outboxId },
          data: { status: "SENT", sentAt: new Date(), attempts: { increment: 1 }, lastError: null },
        });
        return "sent";
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  } catch (error) {
    const failed = await recordFailedAttempt(
      db,
      outboxId,
      error,
      deps.maxAttempts ?? EMAIL_RETRY_POLICY.maxAttempts,
    ).catch(() => false);
    if (failed) return "failed";
    throw error;
  }
}

/** Keeps the SMTP error; says whether the email is now FAILED (no retry will help, or none is left). */
async function recordFailedAttempt(db: Db, outboxId: string, error: unknown, maxAttempts: number): Promise<boolean> {
  const responseCode = (error as { responseCode?: unknown } | null)?.responseCode;
  const permanent = typeof responseCode === "number" && responseCode >= 500 && responseCode < 600;
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  const rows = await db.$queryRaw<{ status: string }[]>`
    UPDATE "EmailOutbox"
    SET attempts = attempts + 1, "lastError" = ${message},
        status = CASE WHEN ${permanent} OR attempts + 1 >= ${maxAttempts} THEN 'FAILED'::"EmailStatus" ELSE status END
    WHERE id = ${outboxId}::uuid AND status = 'PENDING'
    RETURNING status::text AS status`;
  return rows[0]?.status === "FAILED";
}

/**
 * What the email says, from the data as it is now; or why it must not leave. An email that shows
 * a ticket is only sent for a confirmed order and for the credentials it was queued with.
 */
async function composeEmail(deps: DeliveryDeps, email: OutboxEmail): Promise<Composed> {
  const payload = email.payload as Partial<ConfirmationSnapshot & StatusEmailPayload> & {
    codeVersion?: number;
    from?: string;
    to?: string;
    toEmail?: string;
    url?: string;
    by?: "organiser" | "attendee";
  };
  if (email.kind === "returning_prefill" || email.kind === "sign_in_link") {
    const purpose = email.kind === "returning_prefill" ? "prefill" : "signIn";
    return { send: renderLinkEmail({ locale: email.locale, url: payload.url ?? "", purpose }) };
  }
  const order = email.order;
  if (!order) return "missing";
  const editionName = localized(order.edition, "name", order.locale);

  if (email.kind === "ticket_transfer_sent") {
    return {
      send: renderTransferNotice({
        locale: order.locale,
        editionName,
        name: payload.to ?? "",
        email: payload.toEmail ?? "",
      }),
    };
  }
  if (email.kind === "ticket_email_changed") {
    const by = payload.by ?? "organiser";
    return { send: renderEmailChangedNotice({ locale: email.locale, editionName, reference: order.reference, by }) };
  }
  if (email.kind === "order_cancelled" || email.kind === "order_refunded") {
    const { reason = "", amountCents, currency } = payload;
    return {
      send: renderStatusEmail({
        locale: email.locale,
        kind: email.kind,
        reason,
        amountCents,
        currency,
        editionName,
        reference: order.reference,
        firstName: order.tickets[0]?.firstName ?? "",
      }),
    };
  }
  if (order.status !== "CONFIRMED") return { supersededBecause: `order no longer confirmed (${order.status})` };
  // A ticket transferred (again) before this email left must not reveal the newer holder's link.
  if (email.kind === "ticket_transfer_received" && order.tickets[0]?.codeVersion !== payload.codeVersion) {
    return { supersededBecause: "superseded by a later transfer" };
  }
  if (email.kind === "order_confirmation" && payload.codeVersions) {
    const { codeVersions, tokenHash } = payload;
    const changed =
      tokenHash !== accessTokenHash(order.accessToken) ||
      order.tickets.some((ticket) => codeVersions[ticket.id] !== ticket.codeVersion);
    if (changed) return { supersededBecause: "superseded by a transfer" };
  }
  const codes = new Map(
    order.tickets.map((ticket) => [
      ticket.id,
      signTicketCode(
        { ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion },
        deps.signingKey,
      ),
    ]),
  );
  const rendered = renderOrderConfirmation({
    order,
    codes,
    orderUrl: `${deps.appUrl}/${order.locale}/orders/${order.accessToken}`,
    transferredFrom: email.kind === "ticket_transfer_received" ? payload.from : undefined,
  });
  return {
    send: {
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      attachments: [
        ...(await Promise.all(
          rendered.inlineQr.map(async ({ cid, code }) => ({
            filename: "qr.png",
            content: await qrPng(code),
            cid,
            contentType: "image/png",
          })),
        )),
        {
          filename: `ticket-${order.reference}.pdf`,
          content: await renderTicketsPdf(rendered.pdfTickets, order.locale),
          contentType: "application/pdf",
        },
      ],
    },
  };
}
