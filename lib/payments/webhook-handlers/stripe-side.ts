import { applyChargeRefunded, applyDisputeCreated, applyRefundUpdate } from "../stripe-side";
import type { ChargeRead, DisputeRead, EventRead, RefundRead } from "../stripe-reads";
import type { WebhookContext } from "./context";

/** refund.created, refund.updated and refund.failed: our refund's status follows Stripe's. */
export async function handleRefundUpdated(event: EventRead, { db }: WebhookContext): Promise<string> {
  return applyRefundUpdate(db, { id: event.id, type: event.type }, event.data.object as RefundRead);
}

/** charge.refunded: a full refund made in Stripe's dashboard cancels the order's ticket. */
export async function handleChargeRefunded(event: EventRead, { db, now }: WebhookContext): Promise<string> {
  return applyChargeRefunded(db, { id: event.id, type: event.type }, event.data.object as ChargeRead, now);
}

/** charge.dispute.created: a disputed payment's ticket no longer admits. */
export async function handleDisputeCreated(event: EventRead, { db, now }: WebhookContext): Promise<string> {
  return applyDisputeCreated(db, { id: event.id, type: event.type }, event.data.object as DisputeRead, now);
}
