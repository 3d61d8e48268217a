import { createServer } from "node:http";
import { afterAll } from "vitest";
import { LocalStripe } from "@/devtools/local-stripe/server";
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
      deliveries.push({
        payload: body,
        signature: String(request.headers["stripe-signature"]),
        type: event.type,
        sessionId: event.data.object.id,
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const local = await new LocalStripe({
    webhookUrl: `http://127.0.0.1:${port}/`,
    webhookSecret: TEST_WEBHOOK_SECRET,
    retryDelaysMs: [50, 100],
  }).start();
  const { faults, url: faultyUrl, close: closeFaulty } = await faultInjector(local.url);
  const stripe = createStripeClient({ secretKey: "sk_test_guichet_unit", apiUrl: faultyUrl });
  afterAll(async () => {
    await closeFaulty();
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
    await handleStripeWebhook(paid.payload, paid.signature, TEST_WEBHOOK_SECRET, {
      db,
      stripe,
      now: new Date(),
      log: () => {},
    });
  }

  /** What Stripe says went back on a payment: its charge's `amount_refunded`, failed refunds excluded. */
  async function amountRefunded(paymentIntentId: string): Promise<number> {
    const { latest_charge: charge } = await stripe.paymentIntents.retrieve(paymentIntentId);
    if (!charge) return 0;
    return (typeof charge === "string" ? await stripe.charges.retrieve(charge) : charge).amount_refunded;
  }

  return { local, stripe, faults, deliveries, waitForDelivery, payWithCard, payOrder, amountRefunded };
}

/**
 * Fault injection around the real stand-in: a pass-through proxy the app's Stripe client talks to,
 * which answers chosen requests with Stripe's own 500 while a fault is on.
 */
async function faultInjector(target: string) {
  const faults = {
    failRefunds: false,
    failCheckoutSessions: false,
    /** While set, session creations wait for it before reaching the stand-in. */
    checkoutGate: null as Promise<void> | null,
    checkoutsWaiting: 0,
    /** While set, refund creations wait for it before reaching the stand-in (a slow answer from Stripe). */
    refundGate: null as Promise<void> | null,
    refundsWaiting: 0,
  };
  const proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const path = new URL(request.url ?? "/", target).pathname;
      if (request.method === "POST" && path === "/v1/checkout/sessions" && faults.checkoutGate) {
        faults.checkoutsWaiting++;
        await faults.checkoutGate;
        faults.checkoutsWaiting--;
      }
      if (request.method === "POST" && path === "/v1/refunds" && faults.refundGate) {
        faults.refundsWaiting++;
        await faults.refundGate;
        faults.refundsWaiting--;
      }
      const failing =
        request.method === "POST" &&
        ((faults.failRefunds && path === "/v1/refunds") ||
          (faults.failCheckoutSessions && path === "/v1/checkout/sessions"));
      if (failing) {
        // Stripe's SDK would retry a 500 twice; this header tells it not to, as Stripe does for replayed errors.
        response.writeHead(500, { "content-type": "application/json", "stripe-should-retry": "false" });
        const error = { type: "api_error", message: "An unknown error occurred (injected)." };
        response.end(JSON.stringify({ error }));
        return;
      }
      const headers = Object.entries(request.headers).filter(([name]) => name !== "host" && name !== "content-length");
      const upstream = await fetch(`${target}${request.url}`, {
        method: request.method,
        headers: Object.fromEntries(headers) as Record<string, string>,
        body: request.method === "GET" ? undefined : Buffer.concat(chunks),
      });
      const hopByHop = ["transfer-encoding", "content-length", "connection", "keep-alive"];
      const passed = [...upstream.headers].filter(([name]) => !hopByHop.includes(name));
      response.writeHead(upstream.status, Object.fromEntries(passed));
      response.end(Buffer.from(await upstream.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const address = proxy.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return { faults, url, close: () => new Promise<void>((resolve) => proxy.close(() => resolve())) };
}
