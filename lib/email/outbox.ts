import type { Prisma } from "@/lib/generated/prisma/client";
import { EMAIL_QUEUE, queueJobInTransaction, type EmailJob } from "./queue";

export type EmailKind = "order_confirmation" | "ticket_transfer_received" | "ticket_transfer_sent" | "returning_prefill" | "sign_in_link";

/**
 * Writes an email to the outbox and queues its sending, both in the caller's transaction, so the
 * email exists exactly when the change that causes it does. The dedupe key makes a second call
 * for the same meaning (a replayed webhook, say) a no-op.
 */
export async function enqueueEmail(
  tx: Prisma.TransactionClient,
  email: { dedupeKey: string; kind: EmailKind; orderId?: string; toAddress: string; locale: "fr" | "en"; payload?: object },
): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "orderId", "toAddress", locale, payload)
    VALUES (gen_random_uuid(), ${email.dedupeKey}, ${email.kind}, ${email.orderId ?? null}::uuid, ${email.toAddress}, ${email.locale}::"Locale", ${JSON.stringify(email.payload ?? {})}::jsonb)
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING id`;
  if (rows.length === 0) return false;
  await queueJobInTransaction(tx, EMAIL_QUEUE, { outboxId: rows[0].id } satisfies EmailJob);
  return true;
}

/** The confirmation email of an order, queued when the order becomes CONFIRMED. */
export async function enqueueOrderConfirmation(tx: Prisma.TransactionClient, orderId: string): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { buyerEmail: true, locale: true } });
  await enqueueEmail(tx, { dedupeKey: `order-confirmation:${orderId}`, kind: "order_confirmation", orderId, toAddress: order.buyerEmail, locale: order.locale });
}
