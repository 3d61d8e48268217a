import { createServer } from "node:http";
import { afterAll } from "vitest";
import { LocalStripe } from "@/lib/payments/local-stripe/server";
import type { Db } from "@/lib/db/prisma";
import { startCheckout } from "@/lib/payments/checkout";
import { createStripeClient } from "@/lib/payments/stripe";
import { handleStripeWebhook } from "@/lib/payments/webhook";

export const TEST_WEBHOOK_SECRET = "whsec_test_guichet_unit";

export type CapturedDelivery = { payload: string; signature: string; type: string; sessionId: string };

/**
 * The local Stripe stand-in, its deliveries captured by a small receiver so a test can hand the
 * genuinely signed payloads to the webhook handler as it likes: once, ten times, out of order.
 */
export async function useLocalStripe() {
  const deliveries: CapturedDelivery[] = [];
  const receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const event = JSON.parse(body);
      deliveries.push({ payload: body, signature: String(request.headers["stripe-signature"]), type: event.type, sessionId: event.data.object.id });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const local = await new LocalStripe({ webhookUrl: `http://127.0.0.1:${port}/`, webhookSecret: TEST_WEBHOOK_SECRET, retryDelaysMs: [50, 100] }).start();
  const stripe = createStripeClient({ secretKey: "sk_test_guichet_unit", apiUrl: local.url });
  afterAll(async () => {
    await local.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  async function waitForDelivery(type: string, sessionId: string): Promise<CapturedDelivery> {
    for (let i = 0; i < 200; i++) {
      const found = deliveries.find((delivery) => delivery.type === type && delivery.sessionId === sessionId);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no ${type} delivered for ${sessionId}`);
  }

  /** Pays a session on the local hosted checkout page, as a person with this card would. */
  async function payWithCard(sessionId: string, cardNumber = "4242 4242 4242 4242"): Promise<Response> {
    return fetch(`${local.url}/checkout/${sessionId}/pay`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ cardNumber, expiry: "12/34", cvc: "123", name: "Test" }),
      redirect: "manual",
    });
  }

  /** Takes a held order through Checkout, the 4242 card and the signed webhook: a confirmed paid order. */
  async function payOrder(db: Db, orderId: string): Promise<void> {
    const checkout = await startCheckout(db, stripe, orderId, { appUrl: "http://app.test" });
    if (!checkout.ok) throw new Error(checkout.reason);
    const { paymentReference } = await db.order.findUniqueOrThrow({ where: { id: orderId } });
    await payWithCard(paymentReference!);
    const paid = await waitForDelivery("checkout.session.completed", paymentReference!);
    await handleStripeWebhook(paid.payload, paid.signature, TEST_WEBHOOK_SECRET, { db, stripe, now: new Date(), log: () => {} });
  }

  return { local, stripe, deliveries, waitForDelivery, payWithCard, payOrder };
}
