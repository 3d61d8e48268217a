import type Stripe from "stripe";

/**
 * The fields of Stripe's objects that Guichet reads, per resource. The code takes Stripe's objects
 * through the types below, so the compiler refuses a read of any other field; the stand-in's
 * contract test checks each field listed here against Stripe's own fixtures and the stand-in's
 * answers. Reading a new field means adding it here, where that test sees it.
 */
export const STRIPE_READS = {
  "checkout.session": [
    "id",
    "status",
    "payment_status",
    "url",
    "client_reference_id",
    "metadata",
    "payment_intent",
    "amount_total",
    "currency",
  ],
  refund: ["id", "status", "failure_reason", "metadata"],
  charge: ["payment_intent", "amount_refunded"],
  dispute: ["id", "payment_intent", "reason", "amount"],
  event: ["id", "type", "data"],
} as const satisfies {
  "checkout.session": readonly (keyof Stripe.Checkout.Session)[];
  refund: readonly (keyof Stripe.Refund)[];
  charge: readonly (keyof Stripe.Charge)[];
  dispute: readonly (keyof Stripe.Dispute)[];
  event: readonly (keyof Stripe.Event)[];
};

type Read<T, R extends keyof typeof STRIPE_READS> = Pick<T, Extract<(typeof STRIPE_READS)[R][number], keyof T>>;

export type CheckoutSessionRead = Read<Stripe.Checkout.Session, "checkout.session">;
export type RefundRead = Read<Stripe.Refund, "refund">;
export type ChargeRead = Read<Stripe.Charge, "charge">;
export type DisputeRead = Read<Stripe.Dispute, "dispute">;
export type EventRead = Read<Stripe.Event, "event">;
